//! Finding processes by what their command line carries, as `cargo xtask test` does to
//! tell whether a browser outlived its test.

/// The ids of the running processes (other than this one) whose command line contains
/// `text`. Processes that have exited but are not yet reaped have an empty command line,
/// so they are not counted.
pub fn processes_mentioning(text: &str) -> Vec<u32> {
    let own = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found: Vec<u32> = entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != own)
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmdline| {
                String::from_utf8_lossy(&cmdline)
                    .replace('\0', " ")
                    .contains(text)
            })
        })
        .collect();
    found.sort_unstable();
    found
}
