//! Prints what `hnd_ingest` reads in a file, one item a line.
fn main() {
    let path = std::env::args().nth(1).expect("a file");
    let bytes = std::fs::read(&path).expect("readable");
    match hnd_ingest::read(&bytes) {
        Ok(d) => {
            println!(
                "number={} date={} issuer={} period={}\ntitle={}",
                d.number, d.date, d.issuer, d.period, d.title
            );
            for t in &d.targets {
                println!(
                    "T {} {}{} {} | {} | {} | scope={} | {}",
                    t.comparator.code(),
                    t.value,
                    t.value_max.map(|m| format!("-{m}")).unwrap_or_default(),
                    t.unit,
                    t.indicator.clone().or(t.proposed.clone()).unwrap_or_default(),
                    t.period,
                    t.scope,
                    t.text.chars().take(70).collect::<String>()
                );
            }
            for t in &d.tasks {
                println!(
                    "K [{}] lead={} | dir={} | coord={:?} | dl={} | {}",
                    t.label,
                    t.lead,
                    t.directing,
                    t.coordinating,
                    t.deadline,
                    t.title.chars().take(60).collect::<String>()
                );
            }
        }
        Err(e) => println!("error: {e}"),
    }
}
