//! A map from state names to what the page derived for them, kept in a Vec: a run visits a
//! few dozen states at most, so a linear search is as quick as hashing, and the page's .wasm
//! gets no hash-table code of its own for each value type.

/// Values by state name, in the order first inserted.
#[derive(Debug, Clone, PartialEq)]
pub struct ByName<T>(Vec<(String, T)>);

impl<T> Default for ByName<T> {
    fn default() -> Self {
        ByName(Vec::new())
    }
}

impl<T> ByName<T> {
    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut T> {
        self.0.iter_mut().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Sets `name`'s value (replacing the one it had).
    pub fn insert(&mut self, name: &str, value: T) {
        match self.get_mut(name) {
            Some(v) => *v = value,
            None => self.0.push((name.to_string(), value)),
        }
    }

    /// `name`'s value, `T::default()` first if it has none.
    pub fn or_default(&mut self, name: &str) -> &mut T
    where
        T: Default,
    {
        let i = match self.0.iter().position(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                self.0.push((name.to_string(), T::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[i].1
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Forgets `name`'s value.
    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| n != name);
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.0.iter_mut().map(|(_, v)| v)
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut T)> {
        self.0.iter_mut().map(|(n, v)| (n.as_str(), v))
    }
}

impl<T> std::ops::Index<&str> for ByName<T> {
    type Output = T;

    /// The value of `name`; panics if it has none (as a HashMap does).
    fn index(&self, name: &str) -> &T {
        self.get(name).expect("no value for this state")
    }
}
