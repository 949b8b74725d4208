//! Tests of the wire shapes: one parse test per shared fixture, round trips of everything we send, malformed input, truncation/mutation fuzzing, and the JSON-LD context.

mod classify;
mod fast_path;
mod fixtures_lemmy_activities;
mod fixtures_lemmy_objects;
mod fixtures_others;
mod fuzz;
mod jsonld;
mod malformed;
mod roundtrip;
mod samples;
mod support;
mod values;
