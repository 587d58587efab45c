//! What machine the figures come from, and the peak and current memory of this process.

use std::fs;

/// The machine the benchmarks ran on, as `/proc` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    /// Logical CPUs available to this process.
    pub cores: usize,
    /// The CPU's model name (`/proc/cpuinfo`), or `unknown`.
    pub cpu: String,
    /// Total memory in bytes (`MemTotal` of `/proc/meminfo`), 0 if unknown.
    pub memory: u64,
    /// The kernel release (`/proc/sys/kernel/osrelease`), or `unknown`.
    pub kernel: String,
}

impl Machine {
    /// Read the description of this machine.
    pub fn this() -> Self {
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .and_then(|rest| rest.split_once(':'))
            .map_or("unknown".to_owned(), |(_, name)| name.trim().to_owned());
        let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory = proc_kib(&meminfo, "MemTotal:").unwrap_or(0) * 1024;
        let kernel = fs::read_to_string("/proc/sys/kernel/osrelease")
            .map_or("unknown".to_owned(), |s| s.trim().to_owned());
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu,
            memory,
            kernel,
        }
    }
}

impl std::fmt::Display for Machine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} cores ({}), {:.1} GiB memory, Linux {}",
            self.cores,
            self.cpu,
            self.memory as f64 / (1u64 << 30) as f64,
            self.kernel
        )
    }
}

/// The peak resident set size of this process in bytes (`VmHWM` of `/proc/self/status`), if the
/// system reports it.
pub fn peak_rss() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    proc_kib(&status, "VmHWM:").map(|kib| kib * 1024)
}

/// The resident set size of this process now, in bytes (`VmRSS` of `/proc/self/status`), if the
/// system reports it: what it holds, where [`peak_rss`] is the most it ever held.
pub fn current_rss() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    proc_kib(&status, "VmRSS:").map(|kib| kib * 1024)
}

/// The value in KiB of the `/proc` line starting with `key` (`MemTotal:      24684084 kB`).
fn proc_kib(text: &str, key: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_lines() {
        let text = "MemFree:  10 kB\nMemTotal:       24684084 kB\n";
        assert_eq!(proc_kib(text, "MemTotal:"), Some(24_684_084));
        assert_eq!(proc_kib(text, "VmHWM:"), None);
    }

    #[test]
    fn this_process_has_memory() {
        let (now, peak) = (current_rss().unwrap(), peak_rss().unwrap());
        assert!(now > 0 && now <= peak);
    }
}
