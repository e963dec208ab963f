//! Repetition and the figures reported for it: median and spread.

use std::time::{Duration, Instant};

/// Timings of repeated runs of one measurement.
#[derive(Debug, Clone)]
pub struct Sample(pub Vec<Duration>);

impl Sample {
    /// Runs `f` `runs` times (after one warm-up run) and keeps each time.
    pub fn of(runs: usize, mut f: impl FnMut()) -> Sample {
        f();
        Sample(
            (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed()
                })
                .collect(),
        )
    }

    fn sorted(&self) -> Vec<Duration> {
        let mut v = self.0.clone();
        v.sort();
        v
    }

    pub fn median(&self) -> Duration {
        let v = self.sorted();
        v.get(v.len() / 2).copied().unwrap_or_default()
    }

    /// Half the distance between the fastest and the slowest run, relative
    /// to the median (`±x %`).
    pub fn spread(&self) -> f64 {
        let v = self.sorted();
        let (Some(lo), Some(hi)) = (v.first(), v.last()) else {
            return 0.0;
        };
        let m = self.median().as_secs_f64();
        if m == 0.0 {
            0.0
        } else {
            (hi.as_secs_f64() - lo.as_secs_f64()) / 2.0 / m * 100.0
        }
    }

    /// `12.3 ms ±4 %`.
    pub fn show(&self) -> String {
        format!("{} ±{:.0} %", duration(self.median()), self.spread())
    }
}

pub fn duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

/// `generated / baseline` as `1.04×`.
/// The most the generated code may cost relative to its hand-written
/// baseline (issue 6): 10 % more.
pub const TARGET: f64 = 1.10;

pub fn ratio(generated: f64, baseline: f64) -> String {
    if baseline == 0.0 {
        "n/a".into()
    } else {
        format!("{:.2}×", generated / baseline)
    }
}
