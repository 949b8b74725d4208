//! Server-rendered SVG charts: horizontal bars with text labels and values, a `<title>` and a
//! `<desc>` that reads the numbers out, so the chart says the same as the table beside it.

use leptos::prelude::*;

use crate::backend::BarGroup;

const WIDTH: f64 = 480.0;
const LABEL_WIDTH: f64 = 150.0;
const VALUE_WIDTH: f64 = 70.0;
const ROW: f64 = 26.0;
const BAR: f64 = 18.0;
const TOP: f64 = 4.0;

/// Shortens a label to fit the label column.
fn short(label: &str) -> String {
    const MAX: usize = 22;
    if label.chars().count() <= MAX {
        label.to_string()
    } else {
        let cut: String = label.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

/// The width of a bar of `value` when `max` fills the bar column.
fn bar_width(value: f64, max: f64) -> f64 {
    let room = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    if max <= 0.0 || !value.is_finite() || value <= 0.0 {
        0.0
    } else {
        (value / max * room).min(room)
    }
}

/// The chart's description: every bar's label and value.
fn describe(group: &BarGroup) -> String {
    group
        .bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.text))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One bar chart. `id` must be unique on the page (it ties the title and description).
#[component]
pub fn BarChart(group: BarGroup, id: String) -> impl IntoView {
    let max = group.bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = TOP * 2.0 + ROW * group.bars.len().max(1) as f64;
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled = format!("{title_id} {desc_id}");
    let desc = describe(&group);
    let bars = group
        .bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let y = TOP + ROW * i as f64;
            let w = bar_width(b.value, max);
            let text_y = format!("{:.1}", y + BAR - 4.0);
            view! {
                <g class="bar">
                    <text x="0" y=text_y.clone() class="label">{short(&b.label)}</text>
                    <rect x=LABEL_WIDTH.to_string() y=format!("{y:.1}") width=format!("{w:.1}")
                        height=BAR.to_string() rx="2"></rect>
                    <text x=format!("{:.1}", LABEL_WIDTH + w + 6.0) y=text_y class="value">{b.text.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" role="img" aria-labelledby=labelled width=WIDTH.to_string()
            height=format!("{height:.0}") viewBox=format!("0 0 {WIDTH} {height:.0}")
            xmlns="http://www.w3.org/2000/svg">
            <title id=title_id>{group.title.clone()}</title>
            <desc id=desc_id>{desc}</desc>
            {bars}
        </svg>
    }
}

/// A chart with its numbers as a table beside it.
#[component]
pub fn ChartWithTable(group: BarGroup, id: String) -> impl IntoView {
    let rows = group
        .bars
        .iter()
        .map(|b| view! { <tr><th scope="row">{b.label.clone()}</th><td>{b.text.clone()}</td></tr> })
        .collect_view();
    view! {
        <figure class="result-chart">
            <figcaption>{group.title.clone()}</figcaption>
            <BarChart group=group.clone() id=id/>
            <table class="numbers"><tbody>{rows}</tbody></table>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Bar;

    #[test]
    fn bars_scale_to_the_largest() {
        assert_eq!(bar_width(0.0, 10.0), 0.0);
        assert_eq!(bar_width(10.0, 10.0), WIDTH - LABEL_WIDTH - VALUE_WIDTH);
        assert_eq!(bar_width(5.0, 0.0), 0.0);
        assert_eq!(bar_width(f64::NAN, 1.0), 0.0);
    }

    #[test]
    fn the_description_reads_every_bar() {
        let g = BarGroup {
            title: "Votes".into(),
            bars: vec![
                Bar {
                    label: "agree".into(),
                    value: 2.0,
                    text: "2".into(),
                },
                Bar {
                    label: "block".into(),
                    value: 0.0,
                    text: "0".into(),
                },
            ],
        };
        assert_eq!(describe(&g), "agree: 2; block: 0");
        assert_eq!(short("a".repeat(30).as_str()).chars().count(), 22);
    }
}
