//! `brokercomp`: parse the command line, run the library, map the outcome to an exit code.

use clap::Parser;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // A reader process (see `ingest::isolate`): read one workbook, stream its rows, exit.
    if args.get(1).map(String::as_str) == Some(brokercomp::ingest::isolate::CHILD_ARG) {
        std::process::exit(brokercomp::ingest::isolate::child_main(&args[2..]));
    }
    if let Ok(exe) = std::env::current_exe() {
        brokercomp::ingest::isolate::enable(exe);
    }
    let cli = match brokercomp::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    match brokercomp::app::execute(cli) {
        Ok(status) => std::process::exit(status.exit_code()),
        Err(e) => {
            eprintln!("brokercomp: {e}");
            std::process::exit(2);
        }
    }
}
