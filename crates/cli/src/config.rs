//! Configuration, layered: built-in defaults, then an optional TOML file (`--config`), then
//! environment variables `DANGJIAN_*`, then command-line flags (clap reads the last two).

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// What a TOML config file may set. Every key is optional; unknown keys are an error, so a typo
/// does not silently leave a default in force.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database: Option<String>,
    pub listen: Option<String>,
    pub secure_cookies: Option<bool>,
    pub trust_forwarded_for: Option<bool>,
    pub session_hours: Option<u32>,
    pub sqlite_synchronous: Option<String>,
    pub log: Option<String>,
    pub log_format: Option<String>,
}

impl FileConfig {
    pub fn load(path: Option<&Path>) -> Result<FileConfig, String> {
        let Some(path) = path else {
            return Ok(FileConfig::default());
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "无法读取配置文件 {} / cannot read config file {}: {e}",
                path.display(),
                path.display()
            )
        })?;
        toml::from_str(&text).map_err(|e| {
            format!(
                "配置文件 {} 格式错误 / invalid config file {}: {e}",
                path.display(),
                path.display()
            )
        })
    }
}

pub const DEFAULT_DATABASE: &str = "sqlite://dangjian.db";
pub const DEMO_DATABASE: &str = "sqlite://dangjian-demo.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_SESSION_HOURS: u32 = 24 * 7;

/// The first value given: flag or environment, then file, then default.
pub fn pick<T>(cli: Option<T>, file: Option<T>, default: T) -> T {
    cli.or(file).unwrap_or(default)
}

pub fn config_path(cli: &Option<PathBuf>) -> Option<&Path> {
    cli.as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_file_beat_defaults() {
        assert_eq!(pick(Some(1), Some(2), 3), 1);
        assert_eq!(pick(None, Some(2), 3), 2);
        assert_eq!(pick(None, None, 3), 3);
    }

    #[test]
    fn a_typo_in_the_file_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("dangjian.toml");
        std::fs::write(&path, "databse = \"sqlite://x.db\"\n").expect("write");
        assert!(FileConfig::load(Some(&path)).is_err());
        std::fs::write(&path, "database = \"sqlite://x.db\"\nsession_hours = 12\n").expect("write");
        let config = FileConfig::load(Some(&path)).expect("valid file");
        assert_eq!(config.database.as_deref(), Some("sqlite://x.db"));
        assert_eq!(config.session_hours, Some(12));
    }
}
