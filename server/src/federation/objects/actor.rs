//! Actors (people, communities, the instance) as ActivityPub objects: our documents out, theirs in.

use activitypub_federation::config::Data;
use activitypub_federation::protocol::verification::verify_domains_match;
use activitypub_federation::traits::{Actor as ApActor, Object};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::domain::markdown;
use crate::federation::config::host_of;
use crate::federation::error::FedError;
use crate::federation::protocol::objects::group::{Group, JoinPolicy};
use crate::federation::protocol::objects::instance::Instance as InstanceDoc;
use crate::federation::protocol::objects::person::Person;
use crate::federation::protocol::values::{Endpoints, PublicKey, Source};
use crate::federation::protocol::ApObject;
use crate::state::AppState;
use crate::store::actors::{self, Actor, NewActor};
use crate::store::communities::Community;
use crate::store::{self, communities, StoreError};

/// Any actor document we may meet.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ActorDocument {
    Group(Box<Group>),
    Person(Box<Person>),
    Instance(Box<InstanceDoc>),
}

/// Read by the object's `type` (an `Application` is an instance, a `Service`
/// a person), through the protocol's dispatcher.
impl<'de> Deserialize<'de> for ActorDocument {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(d)?;
        match ApObject::from_value(&value).map_err(D::Error::custom)? {
            ApObject::Person(p) => Ok(ActorDocument::Person(p)),
            ApObject::Group(g) => Ok(ActorDocument::Group(g)),
            ApObject::Instance(i) => Ok(ActorDocument::Instance(i)),
            _ => Err(D::Error::custom("not an actor")),
        }
    }
}

impl ActorDocument {
    pub fn id(&self) -> &Url {
        match self {
            ActorDocument::Group(g) => &g.id,
            ActorDocument::Person(p) => &p.id,
            ActorDocument::Instance(i) => &i.id,
        }
    }

    fn public_key(&self) -> &PublicKey {
        match self {
            ActorDocument::Group(g) => &g.public_key,
            ActorDocument::Person(p) => &p.public_key,
            ActorDocument::Instance(i) => &i.public_key,
        }
    }
}

/// An actor row with its URLs parsed.
#[derive(Debug, Clone)]
pub struct ApubActor {
    pub row: Actor,
    pub url: Url,
    inbox: Url,
    shared_inbox: Option<Url>,
}

impl TryFrom<Actor> for ApubActor {
    type Error = FedError;

    fn try_from(row: Actor) -> Result<Self, FedError> {
        Ok(ApubActor {
            url: Url::parse(&row.ap_id)?,
            inbox: Url::parse(&row.inbox_url)?,
            shared_inbox: row
                .shared_inbox_url
                .as_deref()
                .map(Url::parse)
                .transpose()?,
            row,
        })
    }
}

fn key(id: &Url, pem: &str) -> Result<PublicKey, FedError> {
    Ok(PublicKey {
        id: Url::parse(&format!("{id}#main-key"))?,
        owner: id.clone(),
        public_key_pem: pem.to_string(),
    })
}

fn url_opt(s: Option<&str>) -> Option<Url> {
    s.and_then(|u| Url::parse(u).ok())
}

/// Our own actor's document.
pub async fn local_document(
    actor: &ApubActor,
    data: &Data<AppState>,
) -> Result<ActorDocument, FedError> {
    let row = &actor.row;
    let public_key = key(&actor.url, &row.public_key_pem)?;
    let endpoints = Some(Endpoints {
        shared_inbox: actor.shared_inbox.clone(),
    });
    let published = Some(DateTime::<Utc>::from_naive_utc_and_offset(
        row.created_at,
        Utc,
    ));
    match row.kind.as_str() {
        "person" => {
            let id = row.id;
            let bio = data
                .db(move |c| {
                    use crate::store::schema::users;
                    use diesel::prelude::*;
                    Ok::<_, StoreError>(
                        users::table
                            .filter(users::actor_id.eq(id))
                            .select(users::bio_markdown)
                            .first::<String>(c)
                            .optional()?,
                    )
                })
                .await?
                .unwrap_or_default();
            let mut p = Person::new(
                actor.url.clone(),
                row.name.clone(),
                actor.inbox.clone(),
                public_key,
            );
            p.name = row.display_name.clone();
            p.summary = row.summary.clone();
            p.source = (!bio.is_empty()).then(|| Source::markdown(bio));
            p.endpoints = endpoints;
            p.outbox = Some(Url::parse(&format!("{}/outbox", actor.url))?);
            p.url = Some(actor.url.clone());
            p.published = published;
            Ok(ActorDocument::Person(Box::new(p)))
        }
        "group" => {
            let id = row.id;
            let community = data
                .db(move |c| Ok::<_, StoreError>(communities::by_actor(c, id)?))
                .await?
                .ok_or(FedError::NotFound)?
                .0;
            let mut group = group_document(&community, row)?;
            let community_id = community.id;
            let group = data
                .db(move |c| {
                    super::rules::publish(c, community_id, &mut group)?;
                    Ok::<_, FedError>(group)
                })
                .await?;
            Ok(ActorDocument::Group(Box::new(group)))
        }
        _ => {
            let mut i = InstanceDoc::new(actor.url.clone(), actor.inbox.clone(), public_key);
            i.preferred_username = Some(row.name.clone());
            i.name = Some(data.settings.instance_name.clone());
            i.summary = Some(data.settings.instance_description.clone());
            i.endpoints = endpoints;
            i.published = published;
            Ok(ActorDocument::Instance(Box::new(i)))
        }
    }
}

/// A local community's `Group` document.
pub fn group_document(community: &Community, row: &Actor) -> Result<Group, FedError> {
    let id = Url::parse(&row.ap_id)?;
    let public_key = key(&id, &row.public_key_pem)?;
    let mut g = Group::new(
        id.clone(),
        row.name.clone(),
        Url::parse(&row.inbox_url)?,
        public_key,
    );
    g.name = Some(community.title.clone());
    g.summary = Some(community.description_html.clone());
    g.source = Some(Source::markdown(community.description_markdown.clone()));
    g.outbox = url_opt(row.outbox_url.as_deref());
    g.followers = url_opt(row.followers_url.as_deref());
    g.attributed_to = Some(Url::parse(&format!("{id}/moderators"))?);
    g.manually_approves_followers = Some(community.join_policy != "open");
    g.posting_restricted_to_mods = Some(false);
    g.endpoints = Some(Endpoints {
        shared_inbox: url_opt(row.shared_inbox_url.as_deref()),
    });
    g.url = Some(id);
    g.published = Some(DateTime::<Utc>::from_naive_utc_and_offset(
        row.created_at,
        Utc,
    ));
    g.updated = Some(DateTime::<Utc>::from_naive_utc_and_offset(
        community.updated_at,
        Utc,
    ));
    g.join_policy = Some(match community.join_policy.as_str() {
        "open" => JoinPolicy::Open,
        "approval" => JoinPolicy::Approval,
        _ => JoinPolicy::Invite,
    });
    g.stakeholder_classes = Some(community.classes());
    Ok(g)
}

/// Public keys as SPKI PEM; Mobilizon publishes PKCS#1 (`BEGIN RSA PUBLIC KEY`).
pub fn spki_pem(pem: &str) -> Result<String, FedError> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::pkcs8::{DecodePublicKey, EncodePublicKey, LineEnding};
    if rsa::RsaPublicKey::from_public_key_pem(pem).is_ok() {
        return Ok(pem.to_string());
    }
    let key = rsa::RsaPublicKey::from_pkcs1_pem(pem.trim()).map_err(|_| {
        FedError::Refused("the actor's public key is not a readable RSA key".into())
    })?;
    key.to_public_key_pem(LineEnding::LF)
        .map_err(|e| FedError::Refused(format!("cannot re-encode the actor's key: {e}")))
}

/// Stores (or refreshes) a remote actor from its document.
pub fn store_remote(conn: &mut store::DbConn, doc: &ActorDocument) -> Result<Actor, FedError> {
    let id = doc.id();
    let domain = host_of(id).ok_or(FedError::Refused("actor id has no host".into()))?;
    let now = store::now();
    let (kind, name, display, summary, inbox, shared, followers, outbox) = match doc {
        ActorDocument::Person(p) => (
            "person",
            p.preferred_username.clone(),
            p.name.clone(),
            p.summary.as_deref().map(markdown::sanitize_html),
            p.inbox.to_string(),
            p.endpoints
                .as_ref()
                .and_then(|e| e.shared_inbox.as_ref())
                .map(Url::to_string),
            p.followers.as_ref().map(Url::to_string),
            p.outbox.as_ref().map(Url::to_string),
        ),
        ActorDocument::Group(g) => (
            "group",
            g.preferred_username.clone(),
            g.name.clone(),
            g.summary.as_deref().map(markdown::sanitize_html),
            g.inbox.to_string(),
            g.endpoints
                .as_ref()
                .and_then(|e| e.shared_inbox.as_ref())
                .map(Url::to_string),
            g.followers.as_ref().map(Url::to_string),
            g.outbox.as_ref().map(Url::to_string),
        ),
        ActorDocument::Instance(i) => (
            "application",
            i.preferred_username
                .clone()
                .unwrap_or_else(|| domain.clone()),
            i.name.clone(),
            None,
            i.inbox.to_string(),
            i.endpoints
                .as_ref()
                .and_then(|e| e.shared_inbox.as_ref())
                .map(Url::to_string),
            None,
            None,
        ),
    };
    if name.is_empty() || name.len() > 255 {
        return Err(FedError::Refused("actor name is empty or too long".into()));
    }
    let display: Option<String> = display.map(|d| d.chars().take(200).collect());
    let row = actors::upsert_remote(
        conn,
        &NewActor {
            ap_id: id.as_str(),
            kind,
            name: &name,
            domain: &domain,
            local: false,
            display_name: display.as_deref(),
            summary: summary.as_deref(),
            inbox_url: &inbox,
            shared_inbox_url: shared.as_deref(),
            public_key_pem: &spki_pem(&doc.public_key().public_key_pem)?,
            private_key_pem: None,
            created_at: now,
            updated_at: now,
            last_refreshed_at: now,
            followers_url: followers.as_deref(),
            outbox_url: outbox.as_deref(),
        },
    )?;
    if let ActorDocument::Group(g) = doc {
        let title = display.clone().unwrap_or_else(|| name.clone());
        let source = g
            .source
            .as_ref()
            .filter(|s| s.is_markdown())
            .map(|s| s.content.clone())
            .unwrap_or_default();
        let policy = match &g.join_policy {
            Some(JoinPolicy::Open) => "open",
            Some(JoinPolicy::Approval) => "approval",
            Some(JoinPolicy::Invite) => "invite",
            _ if g.manually_approves_followers == Some(true) => "approval",
            _ => "open",
        };
        let classes = g
            .stakeholder_classes
            .clone()
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| vec!["member".to_string()]);
        let classes_json = serde_json::to_string(&classes)?;
        let community = communities::upsert_remote(
            conn,
            row.id,
            &name,
            &title,
            &source,
            summary.as_deref().unwrap_or_default(),
            policy,
            &classes_json,
        )?;
        if let Err(e) = super::rules::mirror(conn, community.id, g) {
            tracing::info!(community = %g.id, error = %e, "remote community's rules not taken");
        }
    }
    Ok(row)
}

#[async_trait]
impl Object for ApubActor {
    type DataType = AppState;
    type Kind = ActorDocument;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.url
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        // Local actors never need refetching.
        if self.row.local {
            return Some(Utc::now());
        }
        Some(DateTime::<Utc>::from_naive_utc_and_offset(
            self.row.last_refreshed_at,
            Utc,
        ))
    }

    async fn read_from_id(id: Url, data: &Data<AppState>) -> Result<Option<Self>, FedError> {
        let found = data
            .db(move |c| Ok::<_, StoreError>(actors::by_ap_id(c, id.as_str())?))
            .await?;
        found.map(ApubActor::try_from).transpose()
    }

    async fn into_json(self, data: &Data<AppState>) -> Result<ActorDocument, FedError> {
        local_document(&self, data).await
    }

    async fn verify(
        json: &ActorDocument,
        expected_domain: &Url,
        _data: &Data<AppState>,
    ) -> Result<(), FedError> {
        verify_domains_match(json.id(), expected_domain)?;
        if &json.public_key().owner != json.id() {
            return Err(FedError::Refused(
                "the actor's key belongs to someone else".into(),
            ));
        }
        Ok(())
    }

    async fn from_json(json: ActorDocument, data: &Data<AppState>) -> Result<Self, FedError> {
        let row = data
            .db(move |c| store_remote(c, &json).map_err(|e| StoreError::Task(e.to_string())))
            .await?;
        // Its key may have changed: the inbox must not verify with the old one.
        data.inbox.keys.remove(row.ap_id.as_str());
        ApubActor::try_from(row)
    }
}

impl ApActor for ApubActor {
    fn public_key_pem(&self) -> &str {
        &self.row.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.row.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        self.inbox.clone()
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.shared_inbox.clone()
    }
}
