use super::*;

fn table(lang: Lang) -> HashMap<String, String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("themes/default")
        .join(file_name(lang));
    parse(file_name(lang), &std::fs::read(path).unwrap()).unwrap()
}

/// The `{names}` a text asks for, sorted.
fn placeholders(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    expand(
        text,
        &mut String::new(),
        |_, _| {},
        |n, _| {
            names.push(n.to_string());
            Some(())
        },
    )
    .unwrap();
    names.sort();
    names
}

#[test]
fn every_language_has_every_word_with_the_same_placeholders() {
    let zh = table(Lang::Zh);
    let en = table(Lang::En);
    let mut zh_keys: Vec<_> = zh.keys().collect();
    let mut en_keys: Vec<_> = en.keys().collect();
    zh_keys.sort();
    en_keys.sort();
    assert_eq!(zh_keys, en_keys, "the two tables name the same words");
    for (key, text) in &zh {
        assert_eq!(placeholders(text), placeholders(&en[key]), "{key}");
    }
    for key in Key::ALL {
        assert!(zh.contains_key(key.name()), "{} is missing", key.name());
    }
}

fn words(pairs: &str) -> Wording {
    Wording::load("test.toml", pairs.as_bytes(), None).unwrap()
}

#[test]
fn words_go_into_templates_escaped_and_filled() {
    let w = words("a = \"A & <b>\"\nn = \"共 {n} 户，{who}\"\nsep = \"、\"\n");
    assert_eq!(
        w.put_into("x.html", "<p>{{ t.a }}</p>", true).unwrap(),
        "<p>A &amp; &lt;b&gt;</p>"
    );
    assert_eq!(w.put_into("x.txt", "{{ t.a }}", false).unwrap(), "A & <b>");
    assert_eq!(
        w.put_into("x.html", "{{ t.n | fill(n=xs | length, who=v.name) }}", true)
            .unwrap(),
        "共 {{ xs | length }} 户，{{ v.name }}"
    );
    assert_eq!(
        w.put_into("x.html", "{{ xs | join(sep=t.sep) }}{% if at.sep %}{% endif %}", true)
            .unwrap(),
        "{{ xs | join(sep=\"、\") }}{% if at.sep %}{% endif %}",
        "t.key inside a tag is a literal; at.sep is not a word"
    );
    assert_eq!(
        w.put_into("x.html", "{# {{ t.zzz }} #}", true).unwrap(),
        "{# {{ t.zzz }} #}"
    );
}

#[test]
fn template_mistakes_are_named() {
    let w = words("n = \"{n} 户\"\n");
    let error = |t: &str| w.put_into("x.html", t, true).unwrap_err().to_string();
    assert!(error("{{ t.m }}").contains("`t.m`"));
    assert!(error("{{ t.n }}").contains("fill(n="));
    assert!(error("{{ t.n | upper }}").contains("fill(name=value"));
    assert!(error("{% if t.q %}{% endif %}").contains("`t.q`"));
}

#[test]
fn a_site_overlay_changes_known_words_only() {
    let w = Wording::load("w.toml", b"a = \"1\"\nb = \"2\"\n", Some(b"b = \"3\"\n")).unwrap();
    assert_eq!((w.texts["a"].as_str(), w.texts["b"].as_str()), ("1", "3"));
    let e = Wording::load("w.toml", b"a = \"1\"\n", Some(b"c = \"3\"\n")).unwrap_err();
    assert!(e.to_string().contains("`c`"));
    assert!(
        Wording::load("w.toml", b"a = \"{{ x }}\"\n", None).is_err(),
        "no template code"
    );
}

#[test]
fn rust_side_words_are_filled() {
    let w = words("month = \"{year}年{month}月\"\n");
    let m = crate::date::Month { year: 2026, month: 11 };
    assert_eq!(w.month(m), "2026年11月");
}
