//! Ranked-choice results checked against published worked examples and a reference count.

use super::super::*;
use super::build::*;

/// `"12.45448"` → the exact value string the engine reports for it (5-decimal fixed point).
fn dec(s: &str) -> String {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let frac = format!("{frac:0<5}");
    let units: u128 = int.parse::<u128>().unwrap() * 100_000 + frac.parse::<u128>().unwrap();
    Value::frac(units, 100_000).exact
}

/// Instant-runoff: the "Tennessee capital" example (Wikipedia, "Instant-runoff voting" and
/// "Tennessee example"; electowiki "Effects of different voting systems under similar
/// circumstances"), with 100 voters for the percentages:
///   42 Memphis > Nashville > Chattanooga > Knoxville
///   26 Nashville > Chattanooga > Knoxville > Memphis
///   15 Chattanooga > Knoxville > Nashville > Memphis
///   17 Knoxville > Chattanooga > Nashville > Memphis
/// Published count: round 1 M 42, N 26, C 15, K 17 → Chattanooga out, all 15 to Knoxville;
/// round 2 M 42, N 26, K 32 → Nashville out, its voters' next choice Chattanooga is gone, so
/// they go to Knoxville; round 3 K 58 of 100 > 50 → Knoxville wins (Memphis 42).
#[test]
fn tennessee_capital_irv() {
    let options = opts(&["Memphis", "Nashville", "Chattanooga", "Knoxville"]);
    let r = |names: &[&str]| by_name(&options, names);
    let b = Bs::new()
        .rank(
            42,
            M,
            &r(&["Memphis", "Nashville", "Chattanooga", "Knoxville"]),
        )
        .rank(
            26,
            M,
            &r(&["Nashville", "Chattanooga", "Knoxville", "Memphis"]),
        )
        .rank(
            15,
            M,
            &r(&["Chattanooga", "Knoxville", "Nashville", "Memphis"]),
        )
        .rank(
            17,
            M,
            &r(&["Knoxville", "Chattanooga", "Nashville", "Memphis"]),
        )
        .done();
    let o = run(&rules(Method::Ranked), &members(100), &options, &b);
    assert_eq!(o.rounds.len(), 3);
    assert_eq!(round_votes(&o, 1, "Memphis"), "42");
    assert_eq!(round_votes(&o, 1, "Chattanooga"), "15");
    assert_eq!(round_votes(&o, 2, "Knoxville"), "32"); // 17 + 15
    assert_eq!(round_votes(&o, 2, "Nashville"), "26");
    assert_eq!(round_votes(&o, 3, "Knoxville"), "58"); // 32 + 26
    assert_eq!(round_votes(&o, 3, "Memphis"), "42");
    let out = |round: usize| match &o.rounds[round - 1].events[0] {
        RoundEvent::Eliminated { option, .. } => option.clone(),
        e => panic!("{e:?}"),
    };
    assert_eq!(out(1), "Chattanooga");
    assert_eq!(out(2), "Nashville");
    assert_eq!(o.winners, names(&["Knoxville"]));
    assert_eq!(o.rounds[2].exhausted.exact, "0");
    // First past the post would have picked Memphis.
    let plurality: Vec<_> = o.options.iter().map(|x| x.total.exact.as_str()).collect();
    assert_eq!(plurality, ["42", "26", "15", "17"]);
}

/// STV: the "food election" (Wikipedia, "Single transferable vote", section Example;
/// the older revision calls Hamburger "Sweets"). 20 guests, 3 dishes:
///   4 Orange; 2 Pear > Orange; 8 Chocolate > Strawberry; 4 Chocolate > Hamburger;
///   1 Strawberry; 1 Hamburger.
/// Droop quota ⌊20/4⌋ + 1 = 6. Chocolate 12 is elected; its surplus 6 moves at 6/12 = 0.5 per
/// ballot: Strawberry 1 + 8·0.5 = 5, Hamburger 1 + 4·0.5 = 3. Pear (2) is out → Orange 6,
/// elected with no surplus. Hamburger (3) is out (its 1 + 2 votes exhaust) and Strawberry (5)
/// takes the last seat. Published winners: Chocolate, Orange, Strawberry.
#[test]
fn food_election_stv() {
    let options = opts(&["Orange", "Pear", "Chocolate", "Strawberry", "Hamburger"]);
    let r = |names: &[&str]| by_name(&options, names);
    let b = Bs::new()
        .rank(4, M, &r(&["Orange"]))
        .rank(2, M, &r(&["Pear", "Orange"]))
        .rank(8, M, &r(&["Chocolate", "Strawberry"]))
        .rank(4, M, &r(&["Chocolate", "Hamburger"]))
        .rank(1, M, &r(&["Strawberry"]))
        .rank(1, M, &r(&["Hamburger"]))
        .done();
    let o = run(
        &with_seats(rules(Method::Ranked), 3),
        &members(20),
        &options,
        &b,
    );
    assert_eq!(o.quota.as_ref().unwrap().exact, "6");
    assert_eq!(round_votes(&o, 1, "Chocolate"), "12");
    assert_eq!(round_votes(&o, 2, "Strawberry"), "5");
    assert_eq!(round_votes(&o, 2, "Hamburger"), "3");
    assert_eq!(round_votes(&o, 2, "Chocolate"), "6");
    assert_eq!(round_votes(&o, 3, "Orange"), "6");
    assert_eq!(round_votes(&o, 4, "Strawberry"), "5");
    assert_eq!(o.rounds[3].exhausted.exact, "3");
    assert_eq!(o.winners, names(&["Chocolate", "Orange", "Strawberry"]));
    let because: Vec<_> = o
        .rounds
        .iter()
        .flat_map(|r| &r.events)
        .filter_map(|e| match e {
            RoundEvent::Elected { because, .. } => Some(*because),
            _ => None,
        })
        .collect();
    assert_eq!(
        because,
        [
            ElectedBecause::ReachedQuota,
            ElectedBecause::ReachedQuota,
            ElectedBecause::RemainingSeats
        ]
    );
    assert!(o.rounds.iter().all(|r| r.rounding_loss.exact == "0"));
}

/// Droop's "42.blt" reference (github.com/jklundell/droop, test/blt/42.blt with
/// test/ref/report/42-scotland-fixed-p5-d5.txt, Scottish STV): 2 seats,
/// 4 Castor > Pollux, 2 Helen. Quota ⌊6/3⌋ + 1 = 3. Castor's surplus 1 gives Pollux
/// 4 × 0.25 = 1; Pollux (1) is excluded and exhausts; Helen (2) fills the last seat.
#[test]
fn droop_42_scottish() {
    let options = opts(&["Castor", "Pollux", "Helen"]);
    let b = Bs::new().rank(4, M, &[0, 1]).rank(2, M, &[2]).done();
    let o = run(
        &with_seats(rules(Method::Ranked), 2),
        &members(6),
        &options,
        &b,
    );
    assert_eq!(o.quota.as_ref().unwrap().exact, "3");
    assert_eq!(round_votes(&o, 2, "Castor"), "3");
    assert_eq!(round_votes(&o, 2, "Pollux"), "1");
    assert_eq!(round_votes(&o, 2, "Helen"), "2");
    assert_eq!(o.rounds.last().unwrap().exhausted.exact, "1");
    assert_eq!(o.winners, names(&["Castor", "Helen"]));
}

/// Real ballots of the GPUS Steering Committee election of 2005-07-24 (94 ballots, 13
/// candidates, 4 seats), as published with the Droop STV package (test/blt/SC.blt), counted
/// under the Scottish rules by Droop (test/ref/report/SC-scotland-fixed-p5-d5.txt; Droop's and
/// OpenSTV's Scottish implementations were validated against eSTV). Ballots are 1-based
/// candidate numbers, separated by `;`.
const SC_BALLOTS: &str = "
    7 8 9 11 12; 7 8 9 11 12; 13 7 5 4 2 1; 5 13 2 7 4 1; 13 4 1 2; 4 2 13 1 3;
    4 13 2 7; 7 8 12 1 13 9 2 4 11 5; 1 13 3 4 7 5 2; 4 1 13 7 3 5 2; 4 1 13 7 3 5 2;
    1 4 13 2 7 5 3 9 8 12 11; 7 1 8 9 13 3 2 4 12 5 11; 7 8 9 11 12;
    7 1 8 9 13 3 2 4 12 5 11; 7 8 9 11 12; 7 8 9 11 12; 7 8 9 11 12; 5 1 13 3 2 4 7;
    7 8 9 3 12 2 13 5 1 4; 3 13 1 2; 3 13 1 2; 4 7 13 5; 4 5 13 3 2 1; 7 8 9 11 12;
    7 9 8 12 11 2 13; 7 8 9 11 12; 7 8 9 11 12; 4 3 13 1; 4 3 13 1; 13 3 4 1 7 2 5;
    3 13 4 1 7 2 5; 13 3 4 1 2 5 7; 13 1 4 2 5 3 7; 13 4 3 1 2 5; 3 13 1 4 2 7 5;
    4 3 13 8; 4 3 13 1; 1 4 13 7; 1 4 13 7; 7 3 4 13 1 5; 9 11 8 7; 7 8 9 11 12;
    13 3 5 2; 4 5 2 3 13; 13 5 2 4 1 3 7; 13 5 2 1 7 3 8; 7 8 9 12 11; 7 8 4 9 12;
    13 4 7 2 8; 4 13 2 7 1 8; 7 8 11 9 12; 8 4 7 11 13 9; 7 4 2 13; 13 1 7 4;
    4 1 2 13 9 5; 1 4 13 5 3 2; 7 5 4 8 11 2 13 1 3 9 12; 4 8 7 5 13 2 1 3 9;
    3 4 7 2 12 13 8 1 5; 7 8 9 11 12; 7 8 11 9; 7 8 11 9; 7 8 9 11 12; 7 8 9 11 12;
    7 8 9 11 12; 13 2 4 7 5 1; 7 8 9 11 12; 7 8 9 11; 7 8 9 11 12;
    2 7 8 12 13 11 1 5 9; 4 7 8 2; 4 13 5 2 1 3; 13 4 7 3 1 5 8 2 9; 4 3 13 1 7;
    13 4 1 3; 4 1 13 3 2 7 8; 2 4 13 5; 2 3 4 1 13 7; 3 1 4 13; 4 3 1 2 11;
    3 1 4 13 2 7; 4 1 2 8 3; 4 1 5 13 2 3; 4 1 5 13 2 3; 7 8 9 11 12; 7 8 9 11 12;
    13 7 3 2 5 4 1; 13 5 7 2 4 1; 7 8 9 11 12; 1 13 3 7 2 4 5; 13 1 2 7 4 5 3;
    13 1 2 7 4 5 3; 3 1 4 2 13 7 9 5 8;
";

const SC_CANDIDATES: [&str; 13] = [
    "Budd Dickinson",
    "Kirit Mookerjee",
    "Tom Sevigny",
    "Pat LaMarche",
    "Michael Piacsek",
    "Write-In 2",
    "Rebecca Rotzler",
    "Kristen Olsen",
    "Jason Jones",
    "Write-In 1",
    "Steve Greenfield",
    "Jimmy Leas",
    "Steve Kramer",
];

fn sc_ballots() -> Vec<Ballot> {
    SC_BALLOTS
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let ranking = s
                .split(' ')
                .map(|n| n.parse::<usize>().unwrap() - 1)
                .collect();
            Ballot::new(M, BallotChoice::Ranked(ranking))
        })
        .collect()
}

#[test]
fn droop_sc_scottish_reference_count() {
    let options = opts(&SC_CANDIDATES);
    let b = sc_ballots();
    assert_eq!(b.len(), 94);
    let o = run(
        &with_seats(rules(Method::Ranked), 4),
        &members(94),
        &options,
        &b,
    );
    assert_eq!(o.quota.as_ref().unwrap().exact, "19"); // ⌊94/5⌋ + 1
    let v = |round: usize, name: &str| round_votes(&o, round, name);
    // First preferences.
    assert_eq!(v(1, "Rebecca Rotzler"), "33");
    assert_eq!(v(1, "Pat LaMarche"), "22");
    assert_eq!(v(1, "Steve Kramer"), "18");
    // After Rotzler's surplus of 14 (transfer value ⌊14/33⌋₅ = 0.42424).
    assert_eq!(v(2, "Kristen Olsen"), dec("12.45448"));
    assert_eq!(v(2, "Budd Dickinson"), dec("6.84848"));
    assert_eq!(v(2, "Tom Sevigny"), dec("8.42424"));
    assert_eq!(v(2, "Jason Jones"), dec("1.42424"));
    assert_eq!(o.rounds[1].rounding_loss.exact, dec("0.00008"));
    // After LaMarche's surplus of 3.
    assert_eq!(v(3, "Budd Dickinson"), dec("7.80300"));
    assert_eq!(v(3, "Kirit Mookerjee"), dec("3.56060"));
    assert_eq!(v(3, "Tom Sevigny"), dec("9.24240"));
    assert_eq!(v(3, "Michael Piacsek"), dec("2.69696"));
    assert_eq!(v(3, "Kristen Olsen"), dec("12.72720"));
    assert_eq!(v(3, "Steve Kramer"), dec("18.54544"));
    assert_eq!(o.rounds[2].rounding_loss.exact, dec("0.00016"));
    // Rounds 3–6 exclude the four candidates with no votes (equal at every round: option
    // order, last listed first), round 7 Jones, round 8 Piacsek; then Kramer is elected.
    let eliminated: Vec<String> = o
        .rounds
        .iter()
        .flat_map(|r| &r.events)
        .filter_map(|e| match e {
            RoundEvent::Eliminated { option, .. } => Some(option.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        eliminated,
        names(&[
            "Jimmy Leas",
            "Steve Greenfield",
            "Write-In 1",
            "Write-In 2",
            "Jason Jones",
            "Michael Piacsek",
            "Kirit Mookerjee",
            "Budd Dickinson",
            "Kristen Olsen"
        ])
    );
    assert_eq!(v(8, "Kristen Olsen"), dec("14.15144"));
    assert_eq!(v(9, "Steve Kramer"), dec("19.68180"));
    assert_eq!(v(9, "Budd Dickinson"), dec("8.80300"));
    assert_eq!(v(9, "Kirit Mookerjee"), dec("3.69696"));
    assert_eq!(v(9, "Kristen Olsen"), dec("14.57568"));
    // After Kramer's surplus of 0.68180.
    assert_eq!(v(10, "Budd Dickinson"), dec("9.01084"));
    assert_eq!(v(10, "Kirit Mookerjee"), dec("3.95360"));
    assert_eq!(v(10, "Tom Sevigny"), dec("9.45496"));
    assert_eq!(o.rounds[9].exhausted.exact, dec("0.00472"));
    assert_eq!(o.rounds[9].rounding_loss.exact, dec("0.00020"));
    // After Mookerjee's exclusion.
    assert_eq!(v(11, "Budd Dickinson"), dec("9.36448"));
    assert_eq!(v(11, "Tom Sevigny"), dec("10.59132"));
    assert_eq!(v(11, "Kristen Olsen"), dec("15.61032"));
    assert_eq!(o.rounds[10].exhausted.exact, dec("1.43368"));
    // After Dickinson's exclusion: Sevigny edges Olsen.
    assert_eq!(v(12, "Tom Sevigny"), dec("16.62204"));
    assert_eq!(v(12, "Kristen Olsen"), dec("16.59988"));
    assert_eq!(o.rounds[11].exhausted.exact, dec("3.77788"));
    // After Olsen's exclusion Sevigny (18.59172) fills the last seat.
    assert_eq!(v(13, "Tom Sevigny"), dec("18.59172"));
    assert_eq!(o.rounds[12].exhausted.exact, dec("18.40808"));
    assert_eq!(o.rounds.len(), 13);
    assert_eq!(
        o.winners,
        names(&[
            "Rebecca Rotzler",
            "Pat LaMarche",
            "Steve Kramer",
            "Tom Sevigny"
        ])
    );
    // The four zero-vote candidates were equal at every round: option order decided the order
    // of their exclusions (recorded), but they were all going to be excluded in a row, so the
    // result does not depend on it and is not flagged as a tie.
    match &o.rounds[2].events[0] {
        RoundEvent::Eliminated {
            tie_break: Some(TieBreak::OptionOrder { among }),
            ..
        } => assert_eq!(
            among,
            &names(&["Write-In 2", "Write-In 1", "Steve Greenfield", "Jimmy Leas"])
        ),
        e => panic!("{e:?}"),
    }
    assert!(!o.tie);
    assert!(o.tied.is_empty());
}
