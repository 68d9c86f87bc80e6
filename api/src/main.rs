use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match crepo_api::cli::run().await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("crepo: {e:#}");
            ExitCode::FAILURE
        }
    }
}
