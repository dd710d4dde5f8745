//! The crate's one sort. Each `sort_by` of the standard library is instantiated for its
//! element type and comparator, and in WebAssembly each instance is several kilobytes; the
//! layout sorted seven kinds of things. Here every call site shares one instance (indices,
//! compared through a `dyn` comparator), then the elements are moved into place. Stable,
//! O(n log n) like the standard sort.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`.
pub(crate) fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = {
        let items: &[T] = v;
        sorted_indices(items.len(), &mut |i, j| cmp(&items[i], &items[j]))
    };
    permute(v, order);
}

/// Sorts `v` stably by `key`, computing each element's key once.
pub(crate) fn sort_by_cached_key<T, K: Ord>(v: &mut [T], key: impl FnMut(&T) -> K) {
    let keys: Vec<K> = v.iter().map(key).collect();
    let order = sorted_indices(keys.len(), &mut |i, j| keys[i].cmp(&keys[j]));
    permute(v, order);
}

fn sorted_indices(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| cmp(i, j));
    order
}

/// Puts the element at `order[k]` at `k`, for every `k`, in place.
fn permute<T>(v: &mut [T], order: Vec<usize>) {
    for k in 0..order.len() {
        // The element first at order[k] was moved by earlier swaps: follow it.
        let mut from = order[k];
        while from < k {
            from = order[from];
        }
        v.swap(k, from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        // Every permutation of a few elements with ties, and a longer pseudo-random run.
        let mut seed = 7u64;
        let mut cases: Vec<Vec<(u8, usize)>> = Vec::new();
        for n in 0..40 {
            let v = (0..n)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (((seed >> 33) % 5) as u8, i)
                })
                .collect();
            cases.push(v);
        }
        for v in cases {
            let mut ours = v.clone();
            let mut std = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std);
            let mut cached = v.clone();
            sort_by_cached_key(&mut cached, |a| std::cmp::Reverse(a.0));
            let mut std = v;
            std.sort_by_key(|a| std::cmp::Reverse(a.0));
            assert_eq!(cached, std);
        }
    }

    #[test]
    fn moves_elements_that_are_not_copy() {
        let mut v: Vec<String> = ["d", "b", "a", "c"].map(String::from).to_vec();
        sort_by(&mut v, |a, b| a.cmp(b));
        assert_eq!(v, ["a", "b", "c", "d"]);
        let mut floats = [3.0, -1.0, 2.0, 0.5];
        sort_by(&mut floats, f64::total_cmp);
        assert_eq!(floats, [-1.0, 0.5, 2.0, 3.0]);
    }
}
