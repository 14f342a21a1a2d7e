//! Logins that cannot be brute-forced: lockouts per account and per client
//! address after repeated failures, answered with a retry-after, and a
//! bounded pool for password hashing.

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, spawn_app};

const LOGIN: &str = "mutation($input: LoginInput!) { login(input: $input) {
    token retryAfterSeconds userErrors { message code } } }";

async fn login(app: &TestApp, username: &str, password: &str) -> Value {
    app.ok(
        None,
        LOGIN,
        json!({ "input": { "username": username, "password": password } }),
    )
    .await["login"]
        .clone()
}

fn advance(app: &TestApp, seconds: i64) {
    app.clock
        .advance(chrono::Duration::seconds(seconds))
        .expect("an adjustable clock");
}

#[tokio::test]
async fn an_account_is_locked_after_five_failures_even_for_the_right_password() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let failed = login(&app, "admin", "wrong password!").await;
        assert_eq!(failed["userErrors"][0]["code"], "INVALID", "{failed:#}");
        assert!(failed["token"].is_null());
    }
    // The right password now waits out the lockout, and costs no hashing.
    let locked = login(&app, "Admin ", PASSWORD).await;
    assert!(locked["token"].is_null(), "{locked:#}");
    assert_eq!(locked["userErrors"][0]["code"], "TOO_MANY_ATTEMPTS");
    assert_eq!(locked["retryAfterSeconds"], 30);
    advance(&app, 29);
    assert_eq!(login(&app, "admin", PASSWORD).await["retryAfterSeconds"], 1);
    advance(&app, 1);
    let ok = login(&app, "admin", PASSWORD).await;
    assert!(ok["token"].is_string(), "{ok:#}");

    // The success cleared the count: five more failures to lock again, and
    // then each further failure doubles the wait.
    for _ in 0..5 {
        login(&app, "admin", "wrong password!").await;
    }
    assert_eq!(
        login(&app, "admin", PASSWORD).await["retryAfterSeconds"],
        30
    );
    advance(&app, 30);
    login(&app, "admin", "wrong password!").await;
    assert_eq!(
        login(&app, "admin", PASSWORD).await["retryAfterSeconds"],
        60
    );
}

#[tokio::test]
async fn a_client_address_is_locked_after_twenty_failures_across_accounts() {
    let app = spawn_app().await;
    for i in 0..20 {
        let failed = login(&app, &format!("nobody{i}"), "wrong password!").await;
        assert_eq!(failed["userErrors"][0]["code"], "INVALID", "{failed:#}");
    }
    // Another account, from the same address, waits too.
    let locked = login(&app, "admin", PASSWORD).await;
    assert_eq!(
        locked["userErrors"][0]["code"], "TOO_MANY_ATTEMPTS",
        "{locked:#}"
    );
    assert!(locked["retryAfterSeconds"].as_i64().unwrap() > 0);
    // An hour later, the count starts afresh.
    advance(&app, 3600);
    assert!(login(&app, "admin", PASSWORD).await["token"].is_string());
}

#[tokio::test]
async fn concurrent_logins_hash_within_a_bounded_pool() {
    let app = spawn_app().await;
    let names: Vec<String> = (0..24).map(|i| format!("user{i}")).collect();
    let attempts: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let password = if i % 2 == 0 {
                PASSWORD
            } else {
                "wrong password!"
            };
            login(&app, name, password)
        })
        .collect();
    let answers = futures_util::future::join_all(attempts).await;
    assert!(
        answers
            .iter()
            .all(|a| a["userErrors"][0]["code"] == "INVALID")
    );
    let most = compound_api::domain::accounts::hashing_most_at_once();
    let slots = compound_api::domain::accounts::hashing_slots();
    assert!(
        most >= 1 && most <= slots,
        "{most} hashes at once, {slots} slots"
    );
}

/// A username or password longer than any account's (64 and 128
/// characters) is refused at its field before the lookup and argon2, and
/// does not count towards a lockout; so is a current password that long.
#[tokio::test]
async fn credentials_longer_than_any_accounts_are_refused_unhashed_and_uncounted() {
    let app = spawn_app().await;
    for _ in 0..6 {
        let p = login(&app, &"a".repeat(65), PASSWORD).await;
        assert_eq!(p["userErrors"][0]["code"], "TOO_LONG", "{p:#}");
        let p = login(&app, "admin", &"p".repeat(129)).await;
        assert_eq!(p["userErrors"][0]["code"], "TOO_LONG", "{p:#}");
        assert!(
            p["userErrors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("at most 128 characters"),
            "{p:#}"
        );
    }
    // Six refusals, no lockout: the right password still logs in.
    let p = login(&app, "admin", PASSWORD).await;
    assert!(p["token"].is_string(), "{p:#}");

    let token = p["token"].as_str().unwrap().to_owned();
    let change = "mutation($input: ChangePasswordInput!) { changePassword(input: $input) {
        userErrors { field code } } }";
    let data = app
        .ok(
            Some(&token),
            change,
            json!({ "input": { "currentPassword": "p".repeat(129), "newPassword": "a new password!" } }),
        )
        .await;
    assert_eq!(
        data["changePassword"]["userErrors"],
        json!([{ "field": ["input", "currentPassword"], "code": "TOO_LONG" }])
    );
}
