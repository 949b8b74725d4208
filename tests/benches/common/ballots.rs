//! Ballots for the governance benches: a fixed-seed generator (the same
//! ballots on every run) with uneven popularity, so that ranked counts go
//! through many rounds, and one case per voting method.

use commonhall::domain::governance::tally::{
    Ballot, BallotChoice, ClassPolicy, ClassShare, ConsentChoice, Electorate, Method, Quorum,
    Ratio, Rules,
};

pub const BALLOTS: usize = 10_000;
const SEED: u64 = 0x00C0_FFEE_2024;

pub const CANDIDATES: [&str; 8] = [
    "Amara", "Bruno", "Chiara", "Dmitri", "Esther", "Farid", "Greta", "Hugo",
];
/// Popularity of the candidates (ranking bias): close enough that no one has
/// a majority of first preferences, so instant-runoff needs several rounds.
const POPULARITY: [u32; 8] = [16, 15, 14, 13, 12, 11, 10, 9];
const PLACES: [&str; 5] = ["North", "South", "East", "West", "Centre"];

/// Knuth's MMIX linear congruential generator; the high bits are used.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(salt: u64) -> Lcg {
        Lcg(SEED ^ salt)
    }

    fn next_u32(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 32) as u32
    }

    /// Uniform in `0..n` (n small; the modulo bias is irrelevant here).
    fn below(&mut self, n: u32) -> u32 {
        self.next_u32() % n
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// A ranking: candidates ordered by popularity plus noise, truncated to a random length ≥ 1.
fn ranking(rng: &mut Lcg) -> Vec<usize> {
    let mut keyed: Vec<(u32, usize)> = (0..CANDIDATES.len())
        .map(|c| (POPULARITY[c] * 4 + rng.below(100), c))
        .collect();
    keyed.sort_unstable_by(|a, b| b.cmp(a));
    let len = 1 + rng.below(CANDIDATES.len() as u32) as usize;
    keyed.into_iter().take(len).map(|(_, c)| c).collect()
}

/// One choice for `method` (options as in [`cases`]).
pub fn choice(method: Method, rng: &mut Lcg) -> BallotChoice {
    match method {
        Method::Consent => BallotChoice::Consent(
            [
                ConsentChoice::Agree,
                ConsentChoice::Abstain,
                ConsentChoice::Disagree,
            ][rng.weighted(&[55, 15, 30])],
        ),
        Method::SingleChoice => BallotChoice::Single(rng.weighted(&[35, 30, 20, 10, 5])),
        Method::Approval => BallotChoice::Approval(
            (0..CANDIDATES.len())
                .filter(|&c| rng.below(100) < POPULARITY[c] * 2)
                .collect(),
        ),
        Method::Ranked => BallotChoice::Ranked(ranking(rng)),
        Method::Score => BallotChoice::Score(
            (0..PLACES.len())
                .map(|o| ((rng.below(6) + rng.below(6 - o as u32)) / 2) as u8)
                .collect(),
        ),
    }
}

/// `BALLOTS` ballots for `method`, the class of ballot `i` given by `class_of`.
pub fn ballots(method: Method, class_of: impl Fn(usize) -> &'static str) -> Vec<Ballot> {
    let mut rng = Lcg::new(method as u64);
    (0..BALLOTS)
        .map(|i| Ballot::new(class_of(i), choice(method, &mut rng)))
        .collect()
}

pub fn rules(method: Method, seats: u32) -> Rules {
    Rules {
        method,
        quorum: Quorum::Share(Ratio::ZERO),
        threshold: None,
        class_policy: ClassPolicy::OneMemberOneVote,
        seats,
    }
}

pub fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// One tally to time.
pub struct Case {
    pub name: &'static str,
    pub rules: Rules,
    pub electorate: Electorate,
    pub options: Vec<String>,
    pub ballots: Vec<Ballot>,
    pub ranked: bool,
}

/// Every method, ranked with one and three seats and with weighted classes.
pub fn cases() -> Vec<Case> {
    let members = || Electorate::single("member", BALLOTS as u64);
    let m = |_| "member";
    let case = |name, method, seats, options: &[&str]| Case {
        name,
        rules: rules(method, seats),
        electorate: members(),
        options: names(options),
        ballots: ballots(method, m),
        ranked: method == Method::Ranked,
    };
    let half: Ratio = "1/2".parse().expect("ratio");
    let share = |class: &str| ClassShare {
        class: class.into(),
        share: half,
    };
    vec![
        case("consent", Method::Consent, 1, &[]),
        case(
            "single choice (poll, 5 options)",
            Method::SingleChoice,
            1,
            &PLACES,
        ),
        case(
            "approval (8 options, 1 seat)",
            Method::Approval,
            1,
            &CANDIDATES,
        ),
        case(
            "ranked, 1 seat (IRV, 8 candidates)",
            Method::Ranked,
            1,
            &CANDIDATES,
        ),
        case(
            "ranked, 3 seats (STV, 8 candidates)",
            Method::Ranked,
            3,
            &CANDIDATES,
        ),
        Case {
            name: "ranked, 3 seats (STV), 2 weighted classes",
            rules: Rules {
                class_policy: ClassPolicy::WeightedClasses(vec![share("worker"), share("user")]),
                ..rules(Method::Ranked, 3)
            },
            electorate: Electorate::from_counts([("worker", 4_000u64), ("user", 6_000u64)])
                .expect("electorate"),
            options: names(&CANDIDATES),
            ballots: ballots(
                Method::Ranked,
                |i| if i < 4_000 { "worker" } else { "user" },
            ),
            ranked: true,
        },
        case("score (5 options, 0-5)", Method::Score, 1, &PLACES),
    ]
}
