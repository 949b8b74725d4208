//! `Ratio` and `Threshold` parsing, validation and display.

use super::super::*;

#[test]
fn parses_fractions_decimals_percentages_and_names() {
    let cases = [
        ("1/2", (1, 2)),
        ("2/4", (1, 2)),
        (" 2 / 3 ", (2, 3)),
        ("0.5", (1, 2)),
        (".25", (1, 4)),
        ("1", (1, 1)),
        ("1.0", (1, 1)),
        ("0", (0, 1)),
        ("0.667", (667, 1000)),
        ("50%", (1, 2)),
        ("66.5%", (133, 200)),
        ("100%", (1, 1)),
        ("majority", (1, 2)),
        ("Simple_Majority", (1, 2)),
        ("two_thirds", (2, 3)),
        ("two-thirds", (2, 3)),
        ("three_quarters", (3, 4)),
        ("unanimous", (1, 1)),
        ("none", (0, 1)),
        ("0.000000000000000001", (1, 1_000_000_000_000_000_000)),
    ];
    for (s, (n, d)) in cases {
        let r: Ratio = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!((r.num(), r.den()), (n, d), "{s}");
    }
}

#[test]
fn refuses_invalid_fractions() {
    assert_eq!(Ratio::new(1, 0), Err(RatioError::ZeroDenominator));
    assert_eq!("1/0".parse::<Ratio>(), Err(RatioError::ZeroDenominator));
    assert!(matches!(
        Ratio::new(3, 2),
        Err(RatioError::GreaterThanOne { .. })
    ));
    assert!(matches!(
        "1.5".parse::<Ratio>(),
        Err(RatioError::GreaterThanOne { .. })
    ));
    assert!(matches!(
        "150%".parse::<Ratio>(),
        Err(RatioError::GreaterThanOne { .. })
    ));
    assert!(matches!(
        "-0.5".parse::<Ratio>(),
        Err(RatioError::Negative(_))
    ));
    assert!(matches!(
        "-1/2".parse::<Ratio>(),
        Err(RatioError::Negative(_))
    ));
    assert!(matches!(
        "0.0000000000000000001".parse::<Ratio>(),
        Err(RatioError::TooPrecise(_))
    ));
    for bad in [
        "", ".", "abc", "1/2/3", "0.5.1", "1e-1", "½", "0,5", "/2", "1/", "+0.5", "NaN",
    ] {
        assert!(bad.parse::<Ratio>().is_err(), "{bad:?} should be refused");
    }
}

#[test]
fn displays_in_lowest_terms() {
    assert_eq!(Ratio::new(6, 9).unwrap().to_string(), "2/3");
    assert_eq!(Ratio::new(0, 7).unwrap().to_string(), "0");
    assert_eq!(Ratio::new(7, 7).unwrap().to_string(), "1");
    assert_eq!(String::from(Ratio::HALF), "1/2");
    assert_eq!(Ratio::TWO_THIRDS, "2/3".parse().unwrap());
    assert!((Ratio::TWO_THIRDS.approx() - 2.0 / 3.0).abs() < 1e-15);
}

#[test]
fn round_trips_through_strings() {
    for s in ["0", "1", "1/2", "2/3", "999/1000"] {
        let r: Ratio = s.parse().unwrap();
        assert_eq!(Ratio::try_from(r.to_string()).unwrap(), r);
    }
}

#[test]
fn thresholds_parse() {
    let cases = [
        ("majority", Threshold::SimpleMajority),
        ("simple_majority", Threshold::SimpleMajority),
        ("two_thirds", Threshold::TwoThirds),
        ("consent", Threshold::Consent { min_agree: None }),
        (
            "consent:3/4",
            Threshold::Consent {
                min_agree: Some(Ratio::new(3, 4).unwrap()),
            },
        ),
        ("3/5", Threshold::Fraction(Ratio::new(3, 5).unwrap())),
        ("0.6", Threshold::Fraction(Ratio::new(3, 5).unwrap())),
    ];
    for (s, t) in cases {
        assert_eq!(s.parse::<Threshold>().unwrap(), t, "{s}");
        assert_eq!(
            t.to_string().parse::<Threshold>().unwrap(),
            t,
            "{s} round trip"
        );
    }
    assert!("7/5".parse::<Threshold>().is_err());
    assert!("consent:2".parse::<Threshold>().is_err());
}
