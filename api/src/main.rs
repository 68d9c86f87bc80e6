use std::process::ExitCode;

/// See api/Cargo.toml: memory that follows the work, not the history.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
