//! The oracle's random steps: edits of households and news, deletions,
//! moves out of the site and back, bad saves, odd files, and their repair.

use super::Oracle;

const TOWN: &str = "content/villages/测试县/测试镇";
/// Three villages in one county, one in another (whose folder a rebuild
/// takes from the last walk when nothing in it changed).
pub(super) const VILLAGES: [&str; 4] = [
    "content/villages/测试县/测试镇/测试村",
    "content/villages/测试县/测试镇/二村",
    "content/villages/测试县/二镇/五村",
    "content/villages/二县/三镇/六村",
];
const COUNTY: &str = "content/villages/二县";
const HEADS: [&str; 6] = ["陈明华", "王小五", "李秀英", "赵大勇", "欧阳明华", "黄丽"];
const STARS: [&str; 3] = ["law", "hygiene", "mutual-aid"];

/// A small deterministic generator (xorshift), so a seed replays a run.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub(super) fn households(rng: &mut Rng, prefix: &str) -> String {
    let mut out = String::from("period = \"2022\"\n");
    for i in 0..1 + rng.below(4) {
        let stars: Vec<String> = STARS
            .iter()
            .filter(|_| rng.below(2) == 0)
            .map(|s| format!("\"{s}\""))
            .collect();
        out.push_str(&format!(
            "\n[[household]]\nid = \"{prefix}-{i}\"\nhead = \"{}\"\ngrid = {}\nstars = [{}]\n",
            rng.pick(&HEADS),
            1 + rng.below(3),
            stars.join(", ")
        ));
    }
    out
}

pub(super) fn news(rng: &mut Rng, title: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2022-11-{:02}\n+++\n\n第 {} 次更新。\n",
        1 + rng.below(28),
        rng.next() % 1000
    )
}

impl Oracle {
    /// One random change to the content, described for the replay log.
    pub(super) fn change(&mut self, rng: &mut Rng) -> String {
        let village = *rng.pick(&VILLAGES);
        if rng.below(3) == 0 {
            return self.heal(rng);
        }
        match rng.below(14) {
            0 | 1 => {
                let rel = format!("{village}/households.toml");
                self.write(&rel, &households(rng, "h"));
                format!("edit {rel}")
            }
            2 => {
                let rel = format!("{village}/households.toml");
                self.write(&rel, "period = \"2022\"\n[[household]\nid = ");
                format!("bad save {rel}")
            }
            3 => {
                let rel = format!("{village}/news/n{}.md", rng.below(3));
                self.write(&rel, &news(rng, "村里的消息"));
                format!("write {rel}")
            }
            4 => {
                let rel = format!("content/news/s{}.md", rng.below(3));
                self.write(&rel, &news(rng, "全县消息"));
                format!("write {rel}")
            }
            5 => self.move_out(&format!("{village}/news")),
            6 => self.move_out(&format!("content/news/s{}.md", rng.below(3))),
            7 if rng.below(2) == 0 => self.move_out(COUNTY),
            7 => self.move_out(TOWN),
            8 => self.move_out(&format!("{village}/village.toml")),
            9 | 10 => self.restore(rng),
            11 => {
                let from = format!("{village}/news/n{}.md", rng.below(3));
                let to = format!("{village}/news/n{}.md", rng.below(3));
                if self.path(&from).is_file() && from != to {
                    std::fs::rename(self.path(&from), self.path(&to)).unwrap();
                }
                format!("rename {from} → {to}")
            }
            12 => {
                let rel = format!("{village}/news/odd.md");
                let path = self.path(&rel);
                if std::fs::symlink_metadata(&path).is_ok() {
                    std::fs::remove_file(&path).unwrap();
                    return format!("remove odd file {rel}");
                }
                if !path.parent().unwrap().is_dir() {
                    return format!("no folder for {rel}");
                }
                match rng.below(3) {
                    0 => {
                        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
                        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
                        format!("fifo at {rel}")
                    }
                    1 => {
                        drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
                        format!("socket at {rel}")
                    }
                    _ => {
                        std::os::unix::fs::symlink("/etc/passwd", &path).unwrap();
                        format!("link out at {rel}")
                    }
                }
            }
            _ => {
                let rel = format!("{village}/points.toml");
                let who = "h-0";
                self.write(
                    &rel,
                    &format!(
                        "[[entry]]\nhousehold = \"{who}\"\ndate = 2022-11-0{}\nkind = \"award\"\nitem = \"volunteer\"\n",
                        1 + rng.below(9)
                    ),
                );
                format!("edit {rel}")
            }
        }
    }

    /// Undo what keeps the site from building: restore what was moved
    /// out, rewrite the rosters, remove odd files.
    fn heal(&mut self, rng: &mut Rng) -> String {
        while !self.stash.is_empty() {
            // Parents before children: a town before a village.toml in it.
            let rel = self.stash.keys().next().unwrap().clone();
            let from = self.stash.remove(&rel).unwrap();
            let to = self.path(&rel);
            if !to.exists() && to.parent().unwrap().is_dir() {
                std::fs::rename(from, to).unwrap();
            }
        }
        for village in VILLAGES {
            if self.path(village).is_dir() {
                self.write(&format!("{village}/households.toml"), &households(rng, "h"));
                let odd = self.path(&format!("{village}/news/odd.md"));
                if std::fs::symlink_metadata(&odd).is_ok() {
                    std::fs::remove_file(&odd).unwrap();
                }
            }
        }
        "heal".into()
    }

    /// Move a file or folder out of content/ (to be restored later).
    fn move_out(&mut self, rel: &str) -> String {
        let from = self.path(rel);
        if !from.exists() || self.stash.contains_key(rel) {
            return format!("nothing to move out at {rel}");
        }
        let to = self.path(&format!("stash/{}", self.stash.len() + self.step as usize));
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::rename(&from, &to).unwrap();
        self.stash.insert(rel.to_string(), to);
        format!("move out {rel}")
    }

    fn restore(&mut self, rng: &mut Rng) -> String {
        let keys: Vec<String> = self.stash.keys().cloned().collect();
        if keys.is_empty() {
            return "nothing to restore".into();
        }
        let rel = rng.pick(&keys).clone();
        let to = self.path(&rel);
        if to.exists() || !to.parent().unwrap().is_dir() {
            return format!("cannot restore {rel} yet");
        }
        let from = self.stash.remove(&rel).unwrap();
        std::fs::rename(from, to).unwrap();
        format!("restore {rel}")
    }
}
