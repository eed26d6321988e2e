//! ASCII URL slugs from (often Chinese) names: pinyin for Han characters,
//! lower-case letters and digits kept, everything else a single `-`.

use pinyin::ToPinyin;

/// 同荣村 → `tongrongcun`, 金鸡镇 Jinji → `jinjizhen-jinji`.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for (c, py) in name.chars().zip(name.to_pinyin()) {
        match py {
            Some(p) => out.push_str(p.plain()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            None => {
                if !out.is_empty() && !out.ends_with('-') {
                    out.push('-');
                }
            }
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Whether a slug given by hand is safe to use as one URL segment.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 80
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !slug.starts_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_become_pinyin() {
        assert_eq!(slugify("同荣村"), "tongrongcun");
        assert_eq!(slugify("藤县"), "tengxian");
        assert_eq!(slugify("角嘴街道"), "jiaozuijiedao");
    }

    #[test]
    fn mixed_text_is_separated_by_hyphens() {
        assert_eq!(slugify("Hello, 世界 2022!"), "hello-shijie-2022");
        assert_eq!(slugify("  "), "");
    }

    #[test]
    fn hand_slugs_are_checked() {
        assert!(is_valid_slug("tong-rong"));
        assert!(!is_valid_slug("../etc"));
        assert!(!is_valid_slug("a/b"));
        assert!(!is_valid_slug(""));
        assert!(!is_valid_slug("同荣"));
    }
}
