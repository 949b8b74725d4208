//! Results of a proposal: the verdict, turnout, and charts beside the numbers — overall, per
//! stakeholder class and, for ranked choice, round by round.

use leptos::prelude::*;

use crate::backend::ResultView;
use crate::components::charts::ChartWithTable;

#[component]
pub fn Results(result: ResultView) -> impl IntoView {
    let t = &result.turnout;
    let turnout = format!(
        "Turnout: {} of {} eligible members{}.",
        t.ballots,
        t.eligible,
        t.share
            .as_ref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default()
    );
    let quorum = if result.quorum_met {
        "Quorum met."
    } else {
        "Quorum not met."
    };
    let by_class_turnout = (t.by_class.len() > 1).then(|| {
        view! {
            <table class="numbers turnout">
                <thead><tr><th>"Class"</th><th>"Ballots"</th><th>"Eligible"</th></tr></thead>
                <tbody>
                    {t.by_class.iter().map(|(c, b, e)| view! {
                        <tr><th scope="row">{c.clone()}</th><td>{*b}</td><td>{*e}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
    });
    let heading = if result.is_final {
        "Result"
    } else {
        "Live count (roll call)"
    };
    let withdrawn = (result.withdrawn > 0).then(|| {
        format!(
            "{} ballot(s) withdrawn: their voters left the community.",
            result.withdrawn
        )
    });
    view! {
        <section class="card results" id="results">
            <h2>{heading}</h2>
            <p class="verdict">{result.verdict.clone()}</p>
            <p class="turnout">{turnout}" "{quorum}</p>
            {withdrawn.map(|w| view! { <p class="muted">{w}</p> })}
            {by_class_turnout}
            <ChartWithTable group=result.totals.clone() id="chart-totals".to_string()/>
            {(!result.by_class.is_empty()).then(|| view! {
                <h3>"By stakeholder class"</h3>
                {result.by_class.iter().enumerate().map(|(i, g)| view! {
                    <ChartWithTable group=g.clone() id=format!("chart-class-{i}")/>
                }).collect_view()}
            })}
            {(!result.rounds.is_empty()).then(|| view! {
                <h3>"Round by round"</h3>
                {result.quota.clone().map(|q| view! { <p class="muted">{format!("Quota: {q} votes.")}</p> })}
                <ol class="rounds">
                    {result.rounds.iter().enumerate().map(|(i, (g, events))| view! {
                        <li>
                            <ChartWithTable group=g.clone() id=format!("chart-round-{i}")/>
                            <ul class="events">{events.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
                        </li>
                    }).collect_view()}
                </ol>
            })}
        </section>
    }
}
