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
        followers_url -> Nullable<Text>,
        outbox_url -> Nullable<Text>,
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

diesel::table! {
    communities (id) {
        id -> BigInt,
        actor_id -> BigInt,
        local -> Bool,
        name -> Text,
        title -> Text,
        description_markdown -> Text,
        description_html -> Text,
        join_policy -> Text,
        stakeholder_classes -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    memberships (id) {
        id -> BigInt,
        community_id -> BigInt,
        person_id -> BigInt,
        class -> Text,
        role -> Text,
        status -> Text,
        application -> Nullable<Text>,
        decision_reason -> Nullable<Text>,
        join_activity_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        active_since -> Nullable<Timestamp>,
    }
}

diesel::table! {
    follows (id) {
        id -> BigInt,
        community_id -> BigInt,
        follower_id -> BigInt,
        status -> Text,
        follow_activity_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        ap_id -> Text,
        community_id -> BigInt,
        author_id -> BigInt,
        local -> Bool,
        title -> Text,
        body_markdown -> Text,
        body_html -> Text,
        link_url -> Nullable<Text>,
        deleted -> Bool,
        likes -> BigInt,
        dislikes -> BigInt,
        comment_count -> BigInt,
        published_at -> Timestamp,
        updated_at -> Nullable<Timestamp>,
        last_activity_at -> Timestamp,
    }
}

diesel::table! {
    comments (id) {
        id -> BigInt,
        ap_id -> Text,
        post_id -> BigInt,
        parent_id -> Nullable<BigInt>,
        author_id -> BigInt,
        local -> Bool,
        body_markdown -> Text,
        body_html -> Text,
        deleted -> Bool,
        likes -> BigInt,
        dislikes -> BigInt,
        published_at -> Timestamp,
        updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    votes (id) {
        id -> BigInt,
        ap_id -> Text,
        actor_id -> BigInt,
        post_id -> Nullable<BigInt>,
        comment_id -> Nullable<BigInt>,
        value -> SmallInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    instances (id) {
        id -> BigInt,
        host -> Text,
        policy -> Text,
        followed -> Bool,
        software -> Nullable<Text>,
        delivered_up_to -> BigInt,
        fail_count -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        parked -> Bool,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_contact_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    received_activities (id) {
        id -> BigInt,
        ap_id -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    outgoing_activities (id) {
        id -> BigInt,
        ap_id -> Text,
        actor_id -> BigInt,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outgoing_targets (instance_id, activity_id, inbox_url) {
        activity_id -> BigInt,
        instance_id -> BigInt,
        inbox_url -> Text,
    }
}

diesel::table! {
    governance_settings (community_id) {
        community_id -> BigInt,
        proposers -> Text,
        allow_extension -> Bool,
        max_extension_seconds -> BigInt,
        withdraw_on_leave -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    proposals (id) {
        id -> BigInt,
        ap_id -> Text,
        community_id -> BigInt,
        author_id -> Nullable<BigInt>,
        local -> Bool,
        kind -> Text,
        title -> Text,
        body_markdown -> Text,
        body_html -> Text,
        rule_changes -> Nullable<Text>,
        base_rules_version -> Nullable<BigInt>,
        candidates -> Nullable<Text>,
        options -> Text,
        voting -> Text,
        ballot -> Text,
        withdraw_on_leave -> Bool,
        max_extension_seconds -> BigInt,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        original_closes_at -> Timestamp,
        status -> Text,
        electorate -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        result -> Nullable<Text>,
        passed -> Nullable<Bool>,
        result_rules_version -> Nullable<BigInt>,
        close_note -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    proposal_electorate (proposal_id, person_id) {
        proposal_id -> BigInt,
        person_id -> BigInt,
        class -> Text,
    }
}

diesel::table! {
    ballots (id) {
        id -> BigInt,
        proposal_id -> BigInt,
        voter_id -> Nullable<BigInt>,
        class -> Text,
        choice -> Text,
        receipt_hash -> Text,
        activity_id -> Nullable<Text>,
        cast_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    rule_versions (id) {
        id -> BigInt,
        community_id -> BigInt,
        version -> BigInt,
        rules -> Text,
        next_rule_id -> BigInt,
        proposal_id -> Nullable<BigInt>,
        adopted_at -> Timestamp,
    }
}

diesel::joinable!(users -> actors (actor_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(communities -> actors (actor_id));
diesel::joinable!(memberships -> communities (community_id));
diesel::joinable!(memberships -> actors (person_id));
diesel::joinable!(follows -> communities (community_id));
diesel::joinable!(follows -> actors (follower_id));
diesel::joinable!(posts -> communities (community_id));
diesel::joinable!(posts -> actors (author_id));
diesel::joinable!(comments -> posts (post_id));
diesel::joinable!(comments -> actors (author_id));
diesel::joinable!(outgoing_targets -> outgoing_activities (activity_id));
diesel::joinable!(outgoing_targets -> instances (instance_id));
diesel::joinable!(governance_settings -> communities (community_id));
diesel::table! {
    instance_settings (id) {
        id -> BigInt,
        federation_allowlist_only -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(proposals -> communities (community_id));
diesel::joinable!(proposal_electorate -> proposals (proposal_id));
diesel::joinable!(proposal_electorate -> actors (person_id));
diesel::joinable!(ballots -> proposals (proposal_id));
diesel::joinable!(rule_versions -> communities (community_id));
diesel::allow_tables_to_appear_in_same_query!(
    actors,
    users,
    sessions,
    communities,
    memberships,
    follows,
    posts,
    comments,
    votes,
    instances,
    received_activities,
    outgoing_activities,
    outgoing_targets,
    governance_settings,
    proposals,
    proposal_electorate,
    ballots,
    rule_versions,
);
