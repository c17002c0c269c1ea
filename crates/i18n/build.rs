//! Embeds the catalogues: every `locales/<language>/<area>.ftl` of the repository becomes an
//! `include_str!` in a table the crate reads (`FILES`), so a new folder or file is picked up by
//! the next build without a list to keep by hand.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() -> Result<(), Box<dyn Error>> {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR")?).join("../../locales");
    let root = root.canonicalize()?;
    println!("cargo:rerun-if-changed={}", root.display());

    let mut table = String::from("/// (language folder, file name, source), sorted.\n");
    table.push_str("pub(crate) static FILES: &[(&str, &str, &str)] = &[\n");
    for lang in sorted_entries(&root)? {
        if !lang.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", lang.display());
        let code = file_name(&lang)?;
        for file in sorted_entries(&lang)? {
            if file.extension().is_none_or(|e| e != "ftl") {
                continue;
            }
            println!("cargo:rerun-if-changed={}", file.display());
            let name = file_name(&file)?;
            let path = file.to_str().ok_or("a catalogue path is not UTF-8")?;
            writeln!(table, "    ({code:?}, {name:?}, include_str!({path:?})),")?;
        }
    }
    table.push_str("];\n");
    fs::write(Path::new(&env::var("OUT_DIR")?).join("files.rs"), table)?;
    Ok(())
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    let mut entries = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort();
    Ok(entries)
}

fn file_name(path: &Path) -> Result<String, Box<dyn Error>> {
    Ok(path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("a catalogue file name is not UTF-8")?
        .to_owned())
}
