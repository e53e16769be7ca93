use super::*;
use crate::dashboard::palette::{Mark, LEGEND};
use crate::progress::workflow::Status;

/// The ISO codes of the `countries` rows of the reference-data migration.
fn migration_codes() -> Vec<String> {
    let sql = include_str!("../../../../migrations/sqlite/0001_reference_data.sql");
    let start = sql
        .find("INSERT INTO countries")
        .expect("the migration fills countries");
    let rows = &sql[start..];
    let rows = &rows[..rows.find(';').expect("the INSERT ends")];
    rows.lines()
        .filter_map(|l| l.trim().strip_prefix("('"))
        .map(|l| l[..2].to_owned())
        .collect()
}

fn inside_frame((x, y): (f64, f64)) -> bool {
    let (x0, y0, w, h) = VIEW_BOX;
    x >= x0 && x <= x0 + w && y >= y0 && y <= y0 + h
}

/// Every point of a path's data.
fn points(d: &str) -> Vec<(f64, f64)> {
    d.split(['M', 'Z', ' '])
        .filter(|s| !s.is_empty())
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect()
}

fn picture(countries: Vec<MapCountry>) -> MapPicture {
    MapPicture {
        title: "Recommendation 1, 2026 H1".into(),
        description: "Status of each Member State".into(),
        countries,
        legend: LEGEND
            .iter()
            .map(|m| (*m, format!("label-{}", m.key())))
            .collect(),
        notes: vec!["Approved reports only.".into()],
    }
}

#[test]
fn every_member_state_of_the_migration_has_a_shape() {
    let codes = migration_codes();
    assert_eq!(codes.len(), 53);
    for code in &codes {
        let shape = shape(code).unwrap_or_else(|| panic!("{code} has no shape"));
        assert!(
            shape.path.starts_with('M') && shape.path.ends_with('Z'),
            "{code}: {}",
            shape.path
        );
        assert!(
            inside_frame(shape.centre),
            "{code}'s centre {:?} is off the map",
            shape.centre
        );
    }
    let mut drawn: Vec<&str> = shapes().iter().map(|s| s.iso2.as_str()).collect();
    drawn.sort();
    let mut expected: Vec<&str> = codes.iter().map(String::as_str).collect();
    expected.sort();
    assert_eq!(drawn, expected);
}

#[test]
fn lisbon_projects_left_of_moscow_and_reykjavik_above_rome() {
    let lisbon = project(-9.14, 38.72);
    let moscow = project(37.62, 55.75);
    let reykjavik = project(-21.94, 64.15);
    let rome = project(12.5, 41.9);
    assert!(lisbon.0 < moscow.0);
    assert!(reykjavik.1 < rome.1, "SVG y grows downwards");
}

#[test]
fn the_frame_holds_the_region_from_the_azores_to_kyrgyzstan_and_svalbard_to_israel() {
    for (place, lon, lat) in [
        ("Azores (Flores)", -31.2, 39.45),
        ("Iceland's west cape", -24.5, 65.5),
        ("Canaries (El Hierro)", -18.0, 27.7),
        ("Svalbard", 20.0, 80.5),
        ("Franz Josef Land", 58.0, 81.0),
        ("Eilat", 34.95, 29.55),
        ("Kazakhstan's east", 87.3, 49.2),
        ("Kyrgyzstan's east", 80.2, 42.0),
        ("Tajikistan's south", 68.0, 36.7),
    ] {
        assert!(
            inside_frame(project(lon, lat)),
            "{place} is off the map: {:?}",
            project(lon, lat)
        );
    }
}

#[test]
fn russia_does_not_wrap_round_to_the_far_left() {
    // Kaliningrad is Russia's westernmost part; nothing Russian may be drawn left of it (the
    // far east, across 180°, must not reappear beyond the Atlantic).
    let kaliningrad_west = project(19.6, 54.9).0;
    let moscow = project(37.62, 55.75).0;
    let russia = shape("RU").expect("Russia");
    let drawn: Vec<(f64, f64)> = points(&russia.path)
        .into_iter()
        .filter(|p| inside_frame(*p))
        .collect();
    assert!(drawn.len() > 100);
    for p in drawn {
        assert!(
            p.0 > kaliningrad_west - 5.0,
            "{p:?} is left of Kaliningrad (Moscow at x {moscow})"
        );
    }
}

/// Even-odd test against every ring of a path.
fn path_contains(d: &str, (x, y): (f64, f64)) -> bool {
    let mut inside = false;
    for ring in d.split('Z').filter(|r| !r.is_empty()) {
        let pts = points(ring);
        for i in 0..pts.len() {
            let (a, b) = (pts[i], pts[(i + pts.len() - 1) % pts.len()]);
            if (a.1 > y) != (b.1 > y) && x < (b.0 - a.0) * (y - a.1) / (b.1 - a.1) + a.0 {
                inside = !inside;
            }
        }
    }
    inside
}

#[test]
fn inland_cities_lie_in_their_own_country() {
    for (iso2, lon, lat) in [
        ("PT", -7.91, 38.57), // Évora (Lisbon is on the coast the simplification moves)
        ("RU", 37.62, 55.75),
        ("IS", -21.94, 64.15),
        ("KZ", 71.45, 51.17),
        ("IL", 34.79, 31.25), // Beersheba
        ("CY", 33.37, 35.17),
        ("DE", 13.4, 52.52),
    ] {
        let shape = shape(iso2).expect(iso2);
        assert!(
            path_contains(&shape.path, project(lon, lat)),
            "{iso2}: the city is not in its outline"
        );
    }
}

#[test]
fn crimea_is_drawn_as_part_of_ukraine() {
    let simferopol = project(34.1, 44.95);
    assert!(path_contains(
        &shape("UA").expect("Ukraine").path,
        simferopol
    ));
    assert!(!path_contains(
        &shape("RU").expect("Russia").path,
        simferopol
    ));
}

#[test]
fn microstates_have_markers_and_only_they() {
    for shape in shapes() {
        let micro = ["AD", "LU", "MC", "MT", "SM"].contains(&shape.iso2.as_str());
        assert_eq!(shape.marker.is_some(), micro, "{}", shape.iso2);
        if let Some(m) = shape.marker {
            assert!(inside_frame(m));
        }
    }
    // San Marino's marker is on San Marino (just south of Rimini), not at the origin.
    let sm = shape("SM")
        .and_then(|s| s.marker)
        .expect("San Marino marker");
    let near = project(12.45, 43.94);
    assert!(
        (sm.0 - near.0).abs() < 3.0 && (sm.1 - near.1).abs() < 3.0,
        "{sm:?} vs {near:?}"
    );
}

#[test]
fn context_land_is_drawn_and_clipped_to_the_frame() {
    let paths = context_paths();
    assert!(paths.len() > 5);
    let (x0, y0, w, h) = VIEW_BOX;
    for p in paths.iter().flat_map(|d| points(d)) {
        assert!(
            p.0 >= x0 - CLIP_MARGIN - 0.1
                && p.0 <= x0 + w + CLIP_MARGIN + 0.1
                && p.1 >= y0 - CLIP_MARGIN - 0.1
                && p.1 <= y0 + h + CLIP_MARGIN + 0.1,
            "{p:?}"
        );
    }
}

#[test]
fn the_echarts_geojson_has_the_53_countries_named_by_iso2() {
    let json: serde_json::Value = serde_json::from_str(echarts_geojson()).expect("valid JSON");
    assert_eq!(json["type"], "FeatureCollection");
    let features = json["features"].as_array().expect("features");
    let mut names: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["name"].as_str().expect("name"))
        .collect();
    names.sort();
    let mut codes = migration_codes();
    codes.sort();
    assert_eq!(names, codes);
    for f in features {
        let polygons = f["geometry"]["coordinates"]
            .as_array()
            .expect("MultiPolygon");
        assert!(!polygons.is_empty());
        for ring in polygons.iter().flat_map(|p| p.as_array().expect("rings")) {
            let ring = ring.as_array().expect("ring");
            assert!(ring.len() >= 4, "{}", f["properties"]["name"]);
            assert_eq!(ring.first(), ring.last(), "rings are closed");
        }
    }
    // y is flipped: Reykjavik (Iceland) lies above Rome (Italy) in ECharts' upward y.
    let first_y = |iso: &str| {
        let f = features
            .iter()
            .find(|f| f["properties"]["name"] == iso)
            .expect(iso);
        f["geometry"]["coordinates"][0][0][0][1]
            .as_f64()
            .expect("y")
    };
    assert!(first_y("IS") > first_y("IT"));
}

#[test]
fn the_svg_has_one_titled_path_per_country_and_unlisted_ones_read_no_report() {
    let svg = render_svg(&picture(vec![MapCountry {
        iso2: "DE".into(),
        name: "Germany".into(),
        mark: Mark::Status(Status::Planned),
        label: "Planned".into(),
    }]));
    assert!(svg.starts_with("<?xml"));
    assert!(
        svg.contains(r#"role="img""#)
            && svg.contains(r#"aria-labelledby="rt-map-title rt-map-desc""#)
    );
    for shape in shapes() {
        assert_eq!(
            svg.matches(&format!(r#"<path d="{}" fill="#, shape.path))
                .count(),
            1,
            "{}",
            shape.iso2
        );
    }
    assert_eq!(svg.matches("</title></path>").count(), 53);
    assert_eq!(svg.matches("</title></circle>").count(), 5);
    assert!(svg.contains(
        r#"fill="url(#rt-mark-planned)" fill-rule="evenodd"><title>Germany: Planned</title>"#
    ));
    assert!(svg.contains("<title>FR: label-no-report</title>"));
    assert!(svg.contains(r#"<pattern id="rt-mark-planned""#));
    assert!(!render_inline_svg(&picture(vec![])).starts_with("<?xml"));
}

#[test]
fn the_svg_legend_follows_the_scale_order() {
    let svg = render_svg(&picture(vec![]));
    let legend = &svg[svg
        .rfind("</svg><rect")
        .expect("the map ends before the legend")..];
    let positions: Vec<usize> = LEGEND
        .iter()
        .map(|m| {
            legend
                .find(&format!(">label-{}<", m.key()))
                .unwrap_or_else(|| panic!("{} missing", m.key()))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    for m in LEGEND {
        assert!(legend.contains(&format!(r#"fill="url(#rt-mark-{})""#, m.key())));
    }
}

#[test]
fn the_svg_escapes_names_titles_and_notes() {
    let mut p = picture(vec![MapCountry {
        iso2: "FR".into(),
        name: "Fr<an>ce & \"co\"".into(),
        mark: Mark::NoReport,
        label: "N/A".into(),
    }]);
    p.title = "R&D <1>".into();
    p.notes = vec!["a < b & 'c'".into()];
    let svg = render_svg(&p);
    assert!(svg.contains("Fr&lt;an&gt;ce &amp; &quot;co&quot;: N/A"));
    assert!(svg.contains("R&amp;D &lt;1&gt;"));
    assert!(svg.contains("a &lt; b &amp; &#39;c&#39;"));
    assert!(!svg.contains("<an>") && !svg.contains("R&D"));
}

#[test]
fn the_svg_has_no_style_attributes_or_elements() {
    let svg = render_svg(&picture(vec![]));
    assert!(!svg.contains("style="));
    assert!(!svg.contains("<style"));
}
