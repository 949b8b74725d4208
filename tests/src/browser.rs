//! Driving real headless Chromium through chromedriver (see tests/tests/browser.rs).
