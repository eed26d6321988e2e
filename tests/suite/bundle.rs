//! `starboard bundle` (issue 16, part): the built site as one zip, read
//! back by Python's zipfile and checked against its manifest with
//! `sha256sum -c`, byte for byte the files of public/.

use std::process::Command;

use crate::support::Site;

#[test]
fn the_bundle_holds_the_site_and_a_manifest_sha256sum_accepts() {
    let site = Site::fixture("minimal");
    let run = site.run(&["bundle"]);
    assert_eq!(run.code, 1, "nothing built yet");
    assert!(run.stderr.contains("请先运行 starboard build"), "{}", run.stderr);

    assert_eq!(site.build().code, 0);
    let run = site.run(&["bundle"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let zip = site.path("site.zip");
    let out = tempfile::tempdir().unwrap();
    let unzip = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
        ])
        .arg(&zip)
        .arg(out.path())
        .output()
        .unwrap();
    assert!(unzip.status.success(), "{}", String::from_utf8_lossy(&unzip.stderr));
    let check = Command::new("sha256sum")
        .args(["-c", "--quiet", "MANIFEST.sha256"])
        .current_dir(out.path())
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    // Every file of public/, and nothing else but the manifest.
    let mut unzipped = crate::support::snapshot_of(out.path());
    let manifest = unzipped.remove(std::path::Path::new("MANIFEST.sha256")).unwrap();
    assert_eq!(unzipped, site.snapshot(), "the zip is public/ byte for byte");
    assert_eq!(String::from_utf8(manifest).unwrap().lines().count(), unzipped.len());

    // The same site zips to the same bytes (no clock in it).
    let first = std::fs::read(&zip).unwrap();
    assert_eq!(site.run(&["bundle"]).code, 0);
    assert_eq!(std::fs::read(&zip).unwrap(), first);
    // Never inside the site it zips.
    let run = site.run(&["bundle", "--output", "public/site.zip"]);
    assert_eq!(run.code, 1);
    assert!(!site.path("public/site.zip").exists());
}
