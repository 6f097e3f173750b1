//! Checks for a bulk run's input, before anything is sent.

/// Zoom treats an email address case-insensitively and a user id exactly;
/// this is the form two entries are compared in.
fn comparable(user_id: &str) -> String {
    if user_id.contains('@') {
        user_id.to_ascii_lowercase()
    } else {
        user_id.to_owned()
    }
}

/// The positions of the first entry that repeats an earlier one, if any.
pub fn first_duplicate<'a>(user_ids: impl IntoIterator<Item = &'a str>) -> Option<(usize, usize)> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (index, id) in user_ids.into_iter().enumerate() {
        seen.push((comparable(id), index));
    }
    seen.sort_unstable();
    seen.windows(2)
        .filter(|pair| pair[0].0 == pair[1].0)
        .map(|pair| (pair[0].1, pair[1].1))
        .min_by_key(|&(_, later)| later)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_repeat() {
        assert_eq!(first_duplicate(["a", "b", "c"]), None);
        assert_eq!(first_duplicate(["a", "b", "a", "b"]), Some((0, 2)));
        assert_eq!(first_duplicate(["x", "b", "c", "b", "x"]), Some((1, 3)));
        assert_eq!(first_duplicate(Vec::<&str>::new()), None);
    }

    #[test]
    fn emails_compare_without_case_and_ids_with_it() {
        assert_eq!(
            first_duplicate(["Ada@Example.com", "ada@example.com"]),
            Some((0, 1))
        );
        assert_eq!(
            first_duplicate(["KDcuGIm1QgePTO8WbOqwIQ", "kdcugim1qgepto8wboqwiq"]),
            None
        );
    }
}
