//! Data sets of the data-set surfaces: the user's CSV and `data=` rows (every rule of the
//! parser, with the line and column of each problem), the shipped real data sets, the losses
//! on given rows computed from their formulas, links and the CLI's `--data`, and the lessons
//! of the two real-data presets.

use gradscape::core::dataset::{Columns, Dataset, MAX_ROWS, SHIPPED};
use gradscape::core::scenario::{Scenario, MAX_TEXT_LEN};

mod support;
use support::*;

fn csv_err(text: &str, columns: Columns) -> String {
    Dataset::from_csv(text, columns)
        .expect_err("should be refused")
        .to_string()
}

#[test]
fn a_csv_reads_with_a_header_comments_and_any_separator() {
    let d = Dataset::from_csv(
        "# speeds\nx,y\n1,2\n\n 3.5 , -4e1 \n5\t6\n7;8\n9 10\n",
        Columns::Xy,
    )
    .expect("valid");
    assert_eq!(
        d.values,
        [1.0, 2.0, 3.5, -40.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    );
    assert_eq!(d.len(), 5);
    assert_eq!(d.shipped, None);
    // Without a header, the first line is a row.
    let d = Dataset::from_csv("1,2,0\n3,4,2\n", Columns::Classes).expect("valid");
    assert_eq!(d.values, [1.0, 2.0, 0.0, 3.0, 4.0, 2.0]);
}

#[test]
fn a_bad_csv_is_refused_at_its_line_and_column() {
    let cases: &[(&str, Columns, &str)] = &[
        (
            "x,y\n1,2\n2,abc\n",
            Columns::Xy,
            "line 3, column 2: `abc` is not a number",
        ),
        (
            "x,y\n1,2\n2,3,4\n",
            Columns::Xy,
            "line 3: 3 columns; this surface takes 2 (x, y)",
        ),
        (
            "1,2,0\n1,2,3\n",
            Columns::Classes,
            "line 2, column 3: class `3` is not one of 0, 1, 2",
        ),
        (
            "1,2,0\n1,2,0.5\n",
            Columns::Classes,
            "line 2, column 3: class `0.5` is not one of 0, 1, 2",
        ),
        (
            "1,2\n1,inf\n",
            Columns::Xy,
            "line 2, column 2: `inf` is outside ±1000000",
        ),
        (
            "1,2\n2e7,1\n",
            Columns::Xy,
            "line 2, column 1: `2e7` is outside ±1000000",
        ),
        (
            "x,y\n1,2\n",
            Columns::Xy,
            "1 rows; a data set needs at least 2 rows of x, y",
        ),
        (
            "",
            Columns::Xy,
            "0 rows; a data set needs at least 2 rows of x, y",
        ),
        // A header is only the first line; a later line of words is a row with words.
        (
            "x,y\n1,2\nx,y\n",
            Columns::Xy,
            "line 3, column 1: `x` is not a number",
        ),
    ];
    for (text, columns, want) in cases {
        assert_eq!(csv_err(text, *columns), *want, "{text:?}");
    }
    let many: String = (0..=MAX_ROWS).map(|i| format!("{i},1\n")).collect();
    assert_eq!(
        csv_err(&many, Columns::Xy),
        format!(
            "line {}: more than 2000 rows; a data set may have at most 2000",
            MAX_ROWS + 1
        )
    );
    let most: String = (0..MAX_ROWS).map(|i| format!("{i},1\n")).collect();
    assert_eq!(
        Dataset::from_csv(&most, Columns::Xy)
            .expect("2000 rows")
            .len(),
        MAX_ROWS
    );
}

#[test]
fn rows_in_a_link_read_back_bit_for_bit() {
    // Values with long expansions, tiny and huge magnitudes, negative zero.
    let values = [
        0.1,
        1.0 / 3.0,
        -2.5e-300,
        999_999.999_999_9,
        -0.0,
        7.0,
        1e-7,
        -123.456,
    ];
    let rows: Vec<String> = values
        .chunks(2)
        .map(|r| format!("{:e},{:e}", r[0], r[1]))
        .collect();
    let d = Dataset::decode(&rows.join(";"), Columns::Xy).expect("valid");
    let again = Dataset::decode(&d.encode(), Columns::Xy).expect("its own text");
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&again.values), bits(&values));
    let s = Scenario::parse(&format!("surface=linreg&data={}", d.encode())).expect("valid");
    let back = Scenario::parse(&s.to_text()).expect("reads back");
    assert_eq!(back, s);
    assert_eq!(bits(&back.data.expect("rows").values), bits(&values));
}

#[test]
fn link_rows_are_refused_at_their_row() {
    let e = Scenario::parse("surface=linreg&data=1,2;3").expect_err("bad row");
    assert_eq!(e.key, "data");
    assert_eq!(e.message, "row 2: 1 columns; this surface takes 2 (x, y)");
    let e = Scenario::parse("surface=rosenbrock&data=1,2;3,4").expect_err("no data set");
    assert_eq!(
        e.message,
        "surface rosenbrock takes no data; the data-set surfaces are neuron, sparse, linreg, deeplinear, svm"
    );
    let e = Scenario::parse("surface=linreg&data=iris").expect_err("wrong columns");
    assert_eq!(
        e.message,
        "`iris` has columns x1, x2, class; this surface takes x, y"
    );
    let e = Scenario::parse("surface=svm&data=roses").expect_err("unknown set");
    assert_eq!(
        e.message,
        "no data set `roses`; give rows (x,y;x,y;…) or one of iris, cars"
    );
    let e = Scenario::parse("surface=linreg&data=cars&data=cars").expect_err("twice");
    assert_eq!(e.message, "is given twice; give one data set");
    // A mini-batch is checked against the rows' N.
    let e = Scenario::parse("surface=linreg&data=1,2;2,3;3,5&opt=gd:lr=0.1,batch=4")
        .expect_err("batch over N");
    assert!(e.message.contains("[1, 3]"), "{}", e.message);
}

#[test]
fn the_shipped_data_sets_are_the_published_ones() {
    let iris = Dataset::decode("iris", Columns::Classes).expect("iris");
    assert_eq!(iris.len(), 150);
    assert_eq!(iris.shipped, Some("iris"));
    let per_class: Vec<usize> = (0..3)
        .map(|k| iris.rows().filter(|r| r[2] == k as f64).count())
        .collect();
    assert_eq!(per_class, [50, 50, 50]);
    // Fisher's petal lengths and widths: means 3.758 and 1.199 cm (R: colMeans(iris[3:4])).
    let mean = |d: &Dataset, c: usize| d.rows().map(|r| r[c]).sum::<f64>() / d.len() as f64;
    assert!((mean(&iris, 0) - 3.758).abs() < 1e-12);
    assert!((mean(&iris, 1) - 1.199_333_333_333_333).abs() < 1e-12);
    let cars = Dataset::decode("cars", Columns::Xy).expect("cars");
    assert_eq!(cars.len(), 50);
    assert!((mean(&cars, 0) - 15.4).abs() < 1e-12);
    assert!((mean(&cars, 1) - 42.98).abs() < 1e-12);
    for s in SHIPPED {
        assert!(!s.source.is_empty() && !s.title.is_empty(), "{}", s.name);
    }
    // The shipped name travels in the link, not the rows.
    let s = Scenario::parse("surface=svm&data=iris").expect("valid");
    assert!(s.to_text().contains("&data=iris&"), "{}", s.to_text());
    assert!(
        s.to_text().contains("surface=svm:margin=1,lambda=0.01&"),
        "generated N and seed are not written: {}",
        s.to_text()
    );
}

/// The regression loss on given rows, ½·mean((w x + b − y)²), from its formula.
#[test]
fn the_surfaces_use_the_given_rows() {
    let rows: [(f64, f64); 4] = [(1.0, 2.0), (2.0, 3.0), (3.0, 5.0), (-1.5, 0.25)];
    let text: Vec<String> = rows.iter().map(|(x, y)| format!("{x},{y}")).collect();
    let data = text.join(";");
    let s = Scenario::parse(&format!("surface=linreg&data={data}")).expect("valid");
    let obj = s.build_objective();
    assert_eq!(obj.examples(), 4);
    let (w, b): (f64, f64) = (0.7, -0.3);
    let want = rows
        .iter()
        .map(|(x, y)| (w * x + b - y).powi(2))
        .sum::<f64>()
        / 8.0;
    assert!((obj.loss(&[w, b]) - want).abs() <= 1e-15 * want);
    // The minimum listed is the least-squares fit, from the normal equations.
    let n = rows.len() as f64;
    let (sx, sy) = (
        rows.iter().map(|r| r.0).sum::<f64>(),
        rows.iter().map(|r| r.1).sum::<f64>(),
    );
    let sxx = rows.iter().map(|r| r.0 * r.0).sum::<f64>();
    let sxy = rows.iter().map(|r| r.0 * r.1).sum::<f64>();
    let w_star = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    let b_star = (sy - w_star * sx) / n;
    let m = &obj.info().critical[0].at;
    assert!(
        (m[0] - w_star).abs() < 1e-12 && (m[1] - b_star).abs() < 1e-12,
        "{m:?}"
    );
    // The deep linear net: ½·mean((w₂ w₁ x − y)²).
    let s = Scenario::parse(&format!("surface=deeplinear&data={data}")).expect("valid");
    let want = rows
        .iter()
        .map(|(x, y)| (0.5 * -2.0 * x - y).powi(2))
        .sum::<f64>()
        / 8.0;
    assert!((s.build_objective().loss(&[0.5, -2.0]) - want).abs() <= 1e-15 * want);
    // The SVM: hinge terms Σ_{j≠y} max(0, s_j − s_y + Δ) plus λ‖W‖², on two points.
    let s = Scenario::parse("surface=svm:margin=1,lambda=0.5&data=1,2,0;-1,0.5,2").expect("valid");
    let w = [0.1, -0.2, 0.3, 0.4, 0.0, -0.1, -0.3, 0.2, 0.05];
    let score = |k: usize, x: [f64; 2]| w[3 * k] * x[0] + w[3 * k + 1] * x[1] + w[3 * k + 2];
    let hinge = |x: [f64; 2], y: usize| {
        (0..3)
            .filter(|&j| j != y)
            .map(|j| (score(j, x) - score(y, x) + 1.0).max(0.0))
            .sum::<f64>()
    };
    let reg = 0.5 * w.iter().map(|v| v * v).sum::<f64>();
    let want = (hinge([1.0, 2.0], 0) + hinge([-1.0, 0.5], 2)) / 2.0 + reg;
    assert!((s.build_objective().loss(&w) - want).abs() < 1e-14);
}

#[test]
fn a_preset_s_rows_can_be_replaced_or_dropped() {
    let own = Scenario::parse("preset=cars-valley&data=1,2;2,4;3,7").expect("valid");
    assert_eq!(own.build_objective().examples(), 3);
    let generated = Scenario::parse("preset=cars-valley&data=").expect("valid");
    assert_eq!(generated.data, None);
    assert_eq!(generated.build_objective().examples(), 50);
    let back = Scenario::parse(&generated.to_text()).expect("reads back");
    assert_eq!(back, generated);
    // Another surface drops rows that were for this one.
    let s = Scenario::parse("preset=iris-svm&surface=linreg").expect("valid");
    assert_eq!(s.data, None);
}

#[test]
fn edits_take_a_csv_or_a_shipped_set_and_keep_nothing_of_a_bad_one() {
    let mut s = Scenario::parse("surface=linreg&start=1,1").expect("valid");
    let before = s.clone();
    let e = s.set_data_csv("x,y\n1,2\n2,oops\n").expect_err("bad");
    assert_eq!(e.key, "data (CSV)");
    assert_eq!(e.value, "2,oops");
    assert_eq!(e.message, "line 3, column 2: `oops` is not a number");
    assert_eq!(s, before, "a refused CSV changes nothing");
    s.set_data_csv("x,y\n1,2\n2,3\n").expect("good");
    assert_eq!(s.build_objective().examples(), 2);
    assert_eq!(s.start, None, "the start point follows the new rows' view");
    s.set_data("cars").expect("shipped");
    assert_eq!(s.data.as_ref().and_then(|d| d.shipped), Some("cars"));
    s.set_data("").expect("generated again");
    assert_eq!(s.data, None);
    let mut b = Scenario::parse("surface=bowl").expect("valid");
    assert!(b.set_data_csv("1,2\n3,4\n").is_err());
}

#[test]
fn a_text_too_long_for_a_link_fits_a_scenario_file() {
    let rows: Vec<String> = (0..MAX_ROWS)
        .map(|i| format!("{}.125,{}.5", i, i % 97))
        .collect();
    let text = format!("surface=linreg&data={}", rows.join(";"));
    assert!(text.len() > MAX_TEXT_LEN);
    let e = Scenario::parse(&text).expect_err("too long for a link");
    assert!(
        e.message.contains("a link may have at most 16384"),
        "{}",
        e.message
    );
    let s = Scenario::parse_within(&text, gradscape::core::scenario::MAX_FILE_LEN).expect("a file");
    assert_eq!(s.build_objective().examples(), MAX_ROWS);
}

#[test]
fn the_cli_reads_data_from_a_file() {
    let dir = std::env::temp_dir().join(format!("gradscape-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("rows.csv");
    std::fs::write(&file, "x,y\n1,2\n2,3\n3,5\n").expect("write");
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_gradscape"))
            .args(args)
            .output()
            .expect("runs")
    };
    let path = file.to_str().expect("utf-8 path");
    let from_file = cli(&[
        "run",
        "--steps",
        "5",
        "--data",
        path,
        "surface=linreg&opt=gd:lr=0.1",
    ]);
    let inline = cli(&[
        "run",
        "--steps",
        "5",
        "surface=linreg&data=1,2;2,3;3,5&opt=gd:lr=0.1",
    ]);
    assert!(
        from_file.status.success(),
        "{}",
        String::from_utf8_lossy(&from_file.stderr)
    );
    assert_eq!(from_file.stdout, inline.stdout);
    std::fs::write(&file, "x,y\n1,2\n2,3,9\n").expect("write");
    let bad = cli(&["run", "--data", path, "surface=linreg"]);
    assert_eq!(bad.status.code(), Some(2));
    let msg = String::from_utf8_lossy(&bad.stderr);
    assert!(
        msg.contains("rows.csv: line 3: 3 columns; this surface takes 2 (x, y)"),
        "{msg}"
    );
    let twice = cli(&["run", "--data", path, "surface=linreg&data=cars"]);
    assert!(String::from_utf8_lossy(&twice.stderr).contains("not both"));
    std::fs::remove_dir_all(&dir).ok();
}

/// cars-valley: GD at the largest stable α crawls along the valley; momentum and Adam reach
/// the least-squares line (from the normal equations here) in about 800 steps.
#[test]
fn cars_valley() {
    let run = run_preset("cars-valley");
    let cars = Dataset::decode("cars", Columns::Xy).expect("cars");
    let n = cars.len() as f64;
    let sum = |f: &dyn Fn(&[f64]) -> f64| cars.rows().map(f).sum::<f64>();
    let (sx, sy, sxx, sxy) = (
        sum(&|r| r[0]),
        sum(&|r| r[1]),
        sum(&|r| r[0] * r[0]),
        sum(&|r| r[0] * r[1]),
    );
    let w = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    let fit = [w, (sy - w * sx) / n];
    // R's lm(dist ~ speed, cars): intercept −17.579, slope 3.932.
    assert!(
        (fit[0] - 3.932).abs() < 1e-3 && (fit[1] + 17.579).abs() < 1e-3,
        "{fit:?}"
    );
    // 2/λ_max of the Hessian [[mean x², mean x], [mean x, 1]] is above GD's α = 0.007.
    let (m1, m2) = (sx / n, sxx / n);
    let lmax = ((m2 + 1.0) + ((m2 + 1.0).powi(2) - 4.0 * (m2 - m1 * m1)).sqrt()) / 2.0;
    let lmin = (m2 - m1 * m1) / lmax;
    assert!(lr(&run.tracks[0]) < 2.0 / lmax && 2.0 / lmax < 0.0076);
    assert!(
        lmax / lmin > 2500.0,
        "the valley's condition number {}",
        lmax / lmin
    );
    let gd = &run.tracks[0];
    let gd_off = (at(gd, gd.history.len() - 1)[1] - fit[1]).abs();
    eprintln!("cars-valley: GD's b is {gd_off:.3} ft off after its last step");
    assert!(
        gd_off > 1.5,
        "GD should still be crawling: b off by {gd_off}"
    );
    for k in [1, 2] {
        let t = &run.tracks[k];
        let step = first_within(t, &fit, 0.01).unwrap_or(u64::MAX);
        eprintln!("cars-valley: optimizer {k} within 0.01 of the fit at step {step}");
        assert!(
            step <= 810,
            "optimizer {k} should reach the fit in about 800 steps, took {step}"
        );
    }
}

/// iris-svm: Adam settles within 200 steps, GD is still above it at 600; neither separates every flower, setosa
/// is always right.
#[test]
fn iris_svm() {
    let run = run_preset("iris-svm");
    let iris = Dataset::decode("iris", Columns::Classes).expect("iris");
    let (gd, adam) = (&run.tracks[0], &run.tracks[1]);
    let last = |t: &gradscape::core::run::Track| t.history.loss(t.history.len() - 1);
    let at_step = |t: &gradscape::core::run::Track, s: usize| t.history.loss(s);
    eprintln!(
        "iris-svm: loss at 200 GD {:.4} Adam {:.4}; final GD {:.4} Adam {:.4}",
        at_step(gd, 200),
        at_step(adam, 200),
        last(gd),
        last(adam)
    );
    assert!(
        at_step(adam, 200) < 1.01 * last(adam),
        "Adam should have settled by step 200"
    );
    assert!(
        at_step(gd, 200) > 1.1 * last(gd),
        "GD should still be on its way at step 200"
    );
    for t in [gd, adam] {
        let w = at(t, t.history.len() - 1);
        let predict = |r: &[f64]| {
            (0..3)
                .map(|k| w[3 * k] * r[0] + w[3 * k + 1] * r[1] + w[3 * k + 2])
                .enumerate()
                .fold(
                    (0, f64::MIN),
                    |best, (k, s)| if s > best.1 { (k, s) } else { best },
                )
                .0
        };
        let wrong: Vec<f64> = iris
            .rows()
            .filter(|r| predict(r) as f64 != r[2])
            .map(|r| r[2])
            .collect();
        eprintln!(
            "iris-svm: {} flowers on the wrong side, classes {wrong:?}",
            wrong.len()
        );
        assert!(
            (2..=10).contains(&wrong.len()),
            "{} misclassified",
            wrong.len()
        );
        assert!(!wrong.contains(&0.0), "setosa stands apart");
        assert!(last(t) > 0.3, "the loss stays above 0: {}", last(t));
    }
}
