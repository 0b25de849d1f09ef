//! Reading the TAP report of `node --test`: which tests were skipped. A skipped test exits 0,
//! so without this a browser test whose Chromium, `pkg/web` or sandbox is missing would pass
//! the test command without running.

/// Names of the skipped tests (`ok N - name # SKIP reason`, subtests included), with their
/// reasons, and the summary's `# skipped N` (node prints one per run).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Skips {
    pub tests: Vec<String>,
    pub summary: u64,
}

pub fn skips(tap: &str) -> Skips {
    let mut out = Skips::default();
    for line in tap.lines() {
        let line = line.trim_start();
        if let Some(n) = line.strip_prefix("# skipped ") {
            out.summary += n.trim().parse::<u64>().unwrap_or(0);
            continue;
        }
        let Some(rest) = line.strip_prefix("ok ") else {
            continue;
        };
        // `ok 3 - name # SKIP reason`: the directive is case-insensitive in TAP.
        if let Some(at) = rest.to_ascii_lowercase().rfind(" # skip") {
            let name = rest[..at].split_once(" - ").map_or(&rest[..at], |(_, n)| n);
            let reason = rest[at + " # skip".len()..].trim();
            out.tests.push(if reason.is_empty() {
                name.to_string()
            } else {
                format!("{name} ({reason})")
            });
        }
    }
    out
}

impl Skips {
    pub fn any(&self) -> bool {
        self.summary > 0 || !self.tests.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_skipped_tests_and_the_summary() {
        let tap = "TAP version 13\n\
# Subtest: demo\n\
    # Subtest: connects\n\
    ok 1 - connects # SKIP no Chromium (apt-get install chromium)\n\
      ---\n\
    ...\n\
ok 1 - demo\n\
ok 2 - plain test\n\
ok 3 - a # b # skip\n\
not ok 4 - failing\n\
1..4\n\
# tests 5\n\
# pass 3\n\
# skipped 2\n";
        let s = skips(tap);
        assert_eq!(
            s.tests,
            ["connects (no Chromium (apt-get install chromium))", "a # b"]
        );
        assert_eq!(s.summary, 2);
        assert!(s.any());
    }

    #[test]
    fn nothing_skipped() {
        let s = skips("ok 1 - x\nok 2 - skip me not\n# skipped 0\n");
        assert_eq!(s, Skips::default());
        assert!(!s.any());
    }
}
