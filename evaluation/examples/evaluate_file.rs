//! Evaluates one design file and writes its heatmap and raw map beside it:
//! `cargo run --release -p crepo-evaluation --example evaluate_file -- DESIGN.jpg`.
//! Prints the results and how long each run took (decode to both PNGs).

use std::time::Instant;

use crepo_evaluation::{evaluate, EvalError, Limits};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: evaluate_file DESIGN")?;
    let bytes = std::fs::read(&path)?;
    let mut timings = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        let start = Instant::now();
        let eval = evaluate(&bytes, &[], &Limits::default())?;
        let pngs: Result<_, EvalError> = (|| Ok((eval.heatmap_png(1600)?, eval.raw_png(1600)?)))();
        timings.push(start.elapsed().as_secs_f64() * 1000.0);
        last = Some((eval, pngs?));
    }
    let (eval, (heatmap, raw)) = last.ok_or("no run")?;
    std::fs::write(format!("{path}.heatmap.png"), heatmap)?;
    std::fs::write(format!("{path}.saliency.png"), raw)?;
    println!(
        "{}x{} {} v{}",
        eval.width, eval.height, eval.model, eval.model_version
    );
    println!("{:#?}", eval.metrics);
    println!(
        "shelf: design share {:.3}, focus {:.3}",
        eval.shelf.design_share, eval.shelf.focus
    );
    let ms: Vec<String> = timings.iter().map(|t| format!("{t:.0}")).collect();
    println!("runs (ms, decode to both PNGs): {}", ms.join(", "));
    Ok(())
}
