//! Two ways a policy's author may write a value, so that a file can say what
//! its source document says and nothing more:
//!
//! - [`Stated`]: the value, or `"not-stated"` when the source does not give
//!   it (a DPA that names no DPO, no privacy e-mail, no response time). The
//!   notice then says "not stated" instead of showing an invented value.
//! - [`Phrase`]: a text in each language, or (as files of format 1 wrote
//!   data subjects and legal references) one string for every language,
//!   which the `missing-translation` rule reports in a policy of several
//!   languages: a French page must not show it in English.
//! - [`OneOrMany`]: one value, or a list of them (a recipient that processes
//!   in several countries, or under several transfer safeguards). One value
//!   is written back as one value, so existing policies keep their canonical
//!   form and their content hash.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, value::MapAccessDeserializer, value::SeqAccessDeserializer};
use serde::de::{value::StrDeserializer, IntoDeserializer};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::model::Text;

/// The word a policy writes for a value its source does not state.
pub const NOT_STATED: &str = "not-stated";

/// A value, or [`NOT_STATED`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stated<T> {
    /// What the source says.
    Value(T),
    /// The source does not say.
    NotStated,
}

impl<T> Stated<T> {
    /// The value, when stated.
    pub fn value(&self) -> Option<&T> {
        match self {
            Stated::Value(value) => Some(value),
            Stated::NotStated => None,
        }
    }
}

impl<T: Serialize> Serialize for Stated<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Stated::Value(value) => value.serialize(serializer),
            Stated::NotStated => serializer.serialize_str(NOT_STATED),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Stated<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StatedVisitor(PhantomData))
    }
}

struct StatedVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> de::Visitor<'de> for StatedVisitor<T> {
    type Value = Stated<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a value, or \"{NOT_STATED}\" when the source does not state it"
        )
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        if text == NOT_STATED {
            return Ok(Stated::NotStated);
        }
        let words: StrDeserializer<'_, E> = text.into_deserializer();
        T::deserialize(words).map(Stated::Value)
    }

    fn visit_map<M: de::MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Stated::Value)
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Self::Value, E> {
        T::deserialize(number.into_deserializer()).map(Stated::Value)
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Self::Value, E> {
        T::deserialize(number.into_deserializer()).map(Stated::Value)
    }
}

#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Stated<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Stated_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let value = generator.subschema_for::<T>();
        schemars::json_schema!({
            "anyOf": [value, { "const": NOT_STATED, "description": "The source does not state it." }]
        })
    }
}

/// A text in each language, or one string as written for every language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phrase {
    /// One string, the same in every language.
    Same(String),
    /// A text per language.
    Text(Text),
}

impl Phrase {
    /// The phrase in `language`, as [`Text::get`] resolves it.
    pub fn get(&self, language: &str, fallback: &str) -> String {
        match self {
            Phrase::Same(words) => words.clone(),
            Phrase::Text(text) => text.get(language, fallback).to_owned(),
        }
    }
}

impl Serialize for Phrase {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Phrase::Same(words) => words.serialize(serializer),
            Phrase::Text(text) => text.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Phrase {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PhraseVisitor)
    }
}

struct PhraseVisitor;

impl<'de> de::Visitor<'de> for PhraseVisitor {
    type Value = Phrase;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a text per language ({ en = \"…\", fr = \"…\" })")
    }

    fn visit_str<E: de::Error>(self, words: &str) -> Result<Self::Value, E> {
        Ok(Phrase::Same(words.to_owned()))
    }

    fn visit_map<M: de::MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
        Text::deserialize(MapAccessDeserializer::new(map)).map(Phrase::Text)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Phrase {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Phrase".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let text = generator.subschema_for::<Text>();
        schemars::json_schema!({
            "anyOf": [text, { "type": "string", "description": "The same words in every language (a policy of one language)." }]
        })
    }
}

/// One value or several.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<T> OneOrMany<T> {
    /// The values, in the order written.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// The first value.
    pub fn first(&self) -> Option<&T> {
        self.0.first()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany(Vec::new())
    }
}

impl<T> From<T> for OneOrMany<T> {
    fn from(value: T) -> Self {
        OneOrMany(vec![value])
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => one.serialize(serializer),
            many => many.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OneOrManyVisitor(PhantomData))
    }
}

struct OneOrManyVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> de::Visitor<'de> for OneOrManyVisitor<T> {
    type Value = OneOrMany<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("one value or a list of values")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        let words: StrDeserializer<'_, E> = text.into_deserializer();
        T::deserialize(words).map(OneOrMany::from)
    }

    fn visit_map<M: de::MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(OneOrMany::from)
    }

    fn visit_seq<S: de::SeqAccess<'de>>(self, seq: S) -> Result<Self::Value, S::Error> {
        Vec::<T>::deserialize(SeqAccessDeserializer::new(seq)).map(OneOrMany)
    }
}

#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for OneOrMany<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("OneOrMany_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let value = generator.subschema_for::<T>();
        schemars::json_schema!({
            "anyOf": [value, { "type": "array", "items": value, "minItems": 1 }]
        })
    }
}

#[cfg(all(test, feature = "policy-text"))]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Contact {
        email: String,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Doc {
        email: Stated<String>,
        contact: Stated<Contact>,
        country: OneOrMany<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        module: Option<Stated<u8>>,
    }

    fn read(text: &str) -> Result<Doc, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn a_value_or_not_stated_round_trips() {
        let doc =
            read(r#"{"email":"not-stated","contact":{"email":"a@b"},"country":"DE"}"#).unwrap();
        assert_eq!(doc.email, Stated::NotStated);
        assert_eq!(doc.contact.value().map(|c| c.email.as_str()), Some("a@b"));
        assert_eq!(doc.country.0, ["DE"]);
        let written = serde_json::to_string(&doc).unwrap();
        assert_eq!(
            written,
            r#"{"email":"not-stated","contact":{"email":"a@b"},"country":"DE"}"#
        );
        let doc =
            read(r#"{"email":"x@y","contact":"not-stated","country":["US","IE"],"module":2}"#)
                .unwrap();
        assert_eq!(doc.module, Some(Stated::Value(2)));
        assert_eq!(doc.email.value().map(String::as_str), Some("x@y"));
        assert_eq!(doc.contact, Stated::NotStated);
        assert_eq!(
            serde_json::to_string(&doc.country).unwrap(),
            r#"["US","IE"]"#
        );
    }

    #[test]
    fn other_shapes_are_refused_with_what_was_expected() {
        let error = read(r#"{"email":"a","contact":"unknown","country":"DE"}"#).unwrap_err();
        assert!(error.contains("expected struct Contact"), "{error}");
        let error = read(r#"{"email":3,"contact":"not-stated","country":"DE"}"#).unwrap_err();
        assert!(error.contains("expected a string"), "{error}");
        let error = read(r#"{"email":[],"contact":"not-stated","country":"DE"}"#).unwrap_err();
        assert!(error.contains("not-stated"), "{error}");
        let error = read(r#"{"email":"a","contact":"not-stated","country":[1]}"#).unwrap_err();
        assert!(error.contains("expected a string"), "{error}");
        let error = read(r#"{"email":"a","contact":"not-stated","country":"DE","module":900}"#)
            .unwrap_err();
        assert!(error.contains("900"), "{error}");
    }
}
