//! Diesel table definitions, written by hand so they hold for both SQLite and PostgreSQL.

diesel::table! {
    actors (id) {
        id -> BigInt,
        ap_id -> Text,
        kind -> Text,
        name -> Text,
        domain -> Text,
        local -> Bool,
        display_name -> Nullable<Text>,
        summary -> Nullable<Text>,
        inbox_url -> Text,
        shared_inbox_url -> Nullable<Text>,
        public_key_pem -> Text,
        private_key_pem -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_refreshed_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        actor_id -> BigInt,
        username -> Text,
        username_lower -> Text,
        password_hash -> Text,
        is_admin -> Bool,
        status -> Text,
        application -> Nullable<Text>,
        refusal_reason -> Nullable<Text>,
        bio_markdown -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        kind -> Text,
        csrf_token -> Text,
        user_agent -> Nullable<Text>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(users -> actors (actor_id));
diesel::joinable!(sessions -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(actors, users, sessions);
