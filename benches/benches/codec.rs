//! Criterion benchmarks of every operation of [`jb_benches::Op`], grouped by the first part of
//! its name, with throughput in bytes so that figures of one size compare directly.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jb_benches::{Fixtures, Op};

fn codec(c: &mut Criterion) {
    let fixtures = Fixtures::new();
    for op in Op::all() {
        let name = op.name();
        let throughput = Throughput::Bytes(op.bytes(&fixtures) as u64);
        match name.rsplit_once('/') {
            Some((group_name, bench_name)) => {
                let mut group = c.benchmark_group(group_name);
                group.throughput(throughput);
                group.bench_function(bench_name, |b| b.iter(|| fixtures.run(op)));
                group.finish();
            }
            None => {
                let mut group = c.benchmark_group("codec");
                group.throughput(throughput);
                group.bench_function(name.as_str(), |b| b.iter(|| fixtures.run(op)));
                group.finish();
            }
        }
    }
}

criterion_group!(benches, codec);
criterion_main!(benches);
