//! Hash maps for lookups only.
//!
//! Anything that reaches a report must come out in the same order every run, and a hash map's
//! iteration order is not fixed; `clippy.toml` therefore disallows hash maps everywhere but here.
//! [`Lookup`] and [`LookupSet`] (Fx-hashed, for million-row joins) offer lookups and insertions
//! but no iteration, so nothing can reach a report in hash order: determinism by construction.
#![allow(clippy::disallowed_types)]

use std::borrow::Borrow;
use std::hash::Hash;

use rustc_hash::{FxHashMap, FxHashSet};

/// A map that can be asked, not walked.
#[derive(Debug, Clone)]
pub struct Lookup<K, V>(FxHashMap<K, V>);

impl<K: Hash + Eq, V> Default for Lookup<K, V> {
    fn default() -> Self {
        Self(FxHashMap::default())
    }
}

impl<K: Hash + Eq, V> Lookup<K, V> {
    pub fn new() -> Self {
        Self::default()
    }
    /// Room for `n` entries without rehashing (million-row joins).
    pub fn with_capacity(n: usize) -> Self {
        Self(FxHashMap::with_capacity_and_hasher(n, Default::default()))
    }
    pub fn get<Q: Hash + Eq + ?Sized>(&self, k: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.0.get(k)
    }
    pub fn get_mut<Q: Hash + Eq + ?Sized>(&mut self, k: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.0.get_mut(k)
    }
    pub fn contains_key<Q: Hash + Eq + ?Sized>(&self, k: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.0.contains_key(k)
    }
    /// Insert, returning the value the key had.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        self.0.insert(k, v)
    }
    /// The value of `k`, inserted by `make` when absent.
    pub fn get_or_insert_with(&mut self, k: K, make: impl FnOnce() -> V) -> &mut V {
        self.0.entry(k).or_insert_with(make)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Hash + Eq, V> FromIterator<(K, V)> for Lookup<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

/// A set that can be asked, not walked.
#[derive(Debug, Clone)]
pub struct LookupSet<K>(FxHashSet<K>);

impl<K: Hash + Eq> Default for LookupSet<K> {
    fn default() -> Self {
        Self(FxHashSet::default())
    }
}

impl<K: Hash + Eq> LookupSet<K> {
    pub fn new() -> Self {
        Self::default()
    }
    /// Room for `n` entries without rehashing.
    pub fn with_capacity(n: usize) -> Self {
        Self(FxHashSet::with_capacity_and_hasher(n, Default::default()))
    }
    pub fn contains<Q: Hash + Eq + ?Sized>(&self, k: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.0.contains(k)
    }
    /// Insert; `false` when it was there already.
    pub fn insert(&mut self, k: K) -> bool {
        self.0.insert(k)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Hash + Eq> FromIterator<K> for LookupSet<K> {
    fn from_iter<I: IntoIterator<Item = K>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}
