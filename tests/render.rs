//! The views drawn natively to bitmaps: every surface renders a frame with contours, the
//! overlay and charts draw, and the pictures are saved under `test-artifacts/` to look at.

use gradscape::core::objective::{Objective, SURFACES};
use gradscape::core::scenario::Scenario;
use gradscape::render::colour::optimizer_colour;
use gradscape::render::contour::contour_set;
use gradscape::render::field::{heatmap_rgba, Field, Scale};
use gradscape::render::scene::{collect_paths, path_specs};
use gradscape::render::{
    draw_chart, draw_contour_frame, draw_overlay, nice_ticks, ContourSet, EigenCross, PathSpec,
    PlotRect, Series,
};
use plotters::prelude::*;

const W: u32 = 480;
const H: u32 = 420;

fn artifacts() -> std::path::PathBuf {
    let d = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts/render");
    std::fs::create_dir_all(&d).expect("artifact dir");
    d
}

/// Draw the contour view of `text` after `steps` updates as SVG.
fn render(text: &str, steps: u64, name: &str) -> String {
    let sc = Scenario::parse(text).expect("valid");
    let mut run = sc.build_run();
    run.advance(steps);
    let obj = run.objective.as_ref();
    let info = obj.info().clone();
    let field = Field::sample(obj, info.view, 120, 120, &run.start);
    let scale = Scale::new(&field, info.log_scale);
    let lines = contour_set(&field, &scale.levels(12));
    let rgba = heatmap_rgba(&field, &scale);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (W, H)).into_drawing_area();
        let rect = draw_contour_frame(
            &root,
            1.0,
            info.view,
            ("θ₀", "θ₁"),
            &ContourSet {
                lines: &lines,
                scale: &scale,
            },
            &info.critical,
            |r| {
                // Natively: one rectangle per heatmap cell.
                let (cw, ch) = (
                    r.width() as f64 / field.nx as f64,
                    r.height() as f64 / field.ny as f64,
                );
                for j in 0..field.ny {
                    for i in 0..field.nx {
                        let k = 4 * (j * field.nx + i);
                        let x0 = r.x0 + (i as f64 * cw) as i32;
                        let y0 = r.y0 + (j as f64 * ch) as i32;
                        let x1 = r.x0 + ((i + 1) as f64 * cw).ceil() as i32;
                        let y1 = r.y0 + ((j + 1) as f64 * ch).ceil() as i32;
                        root.draw(&Rectangle::new(
                            [(x0, y0), (x1, y1)],
                            RGBColor(rgba[k], rgba[k + 1], rgba[k + 2]).filled(),
                        ))
                        .map_err(|e| format!("{e:?}"))?;
                    }
                }
                Ok(())
            },
        )
        .expect("frame draws");
        let xy: Vec<Vec<f64>> = run
            .tracks
            .iter()
            .map(|t| {
                (0..t.history.len())
                    .flat_map(|i| t.history.params_at(i)[..2].to_vec())
                    .collect()
            })
            .collect();
        let paths: Vec<PathSpec> = xy
            .iter()
            .enumerate()
            .map(|(i, xy)| PathSpec {
                colour: optimizer_colour(i),
                square: i >= 8,
                xy,
                lookahead: None,
                diverged: false,
                gradient_step: Some((0.1, -0.2)),
                velocity_step: Some((-0.3, 0.1)),
            })
            .collect();
        let cross = EigenCross {
            at: (run.start[0], run.start[1]),
            eigenvalues: [-1.0, 2.0],
            eigenvectors: [[0.6, 0.8], [-0.8, 0.6]],
        };
        draw_overlay(
            &root,
            1.0,
            &rect,
            (run.start[0], run.start[1]),
            &paths,
            Some(&cross),
        )
        .expect("overlay draws");
        root.present().expect("present");
    }
    save(&buf, &format!("{name}.svg"));
    buf
}

fn save(svg: &str, file: &str) {
    std::fs::write(artifacts().join(file), svg).expect("write svg");
}

/// Distinct fill colours in an SVG: a blank or flat heatmap has very few.
fn distinct_fills(svg: &str) -> usize {
    let mut fills: Vec<&str> = svg
        .split("fill=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    fills.sort();
    fills.dedup();
    fills.len()
}

#[test]
fn every_surface_renders_a_contour_view_with_paths() {
    for def in SURFACES {
        let obj: Box<dyn Objective> =
            gradscape::core::objective::build_default(def.name).expect("built");
        let text = format!(
            "surface={}&steps=300&opt=gd:lr=0.01&opt=momentum:lr=0.01&opt=adam:lr=0.05",
            def.name
        );
        let svg = render(&text, 300, def.name);
        assert!(
            distinct_fills(&svg) > 20,
            "{}: heatmap looks flat",
            def.name
        );
        assert!(
            svg.matches("<polyline").count() >= 3 + 2 * 3,
            "{}: contours and paths",
            def.name
        );
        assert!(svg.contains("<text"), "{}: axis labels", def.name);
        assert!(obj.info().view[1] > obj.info().view[0]);
    }
}

#[test]
fn charts_draw_linear_and_log() {
    let xs: Vec<f64> = (0..500).map(|i| i as f64).collect();
    let a: Vec<f64> = xs.iter().map(|x| 10.0 * (-x / 50.0).exp()).collect();
    let b: Vec<f64> = xs.iter().map(|x| 5.0 / (1.0 + x)).collect();
    for log in [false, true] {
        let mut buf = String::new();
        {
            let root = SVGBackend::with_string(&mut buf, (W, 240)).into_drawing_area();
            draw_chart(
                &root,
                1.0,
                &[
                    Series {
                        colour: optimizer_colour(0),
                        xs: &xs,
                        ys: &a,
                        dashed: false,
                        long_dash: false,
                    },
                    Series {
                        colour: optimizer_colour(1),
                        xs: &xs,
                        ys: &b,
                        dashed: true,
                        long_dash: false,
                    },
                ],
                log,
                "step",
                "loss",
            )
            .expect("chart draws");
            root.present().expect("present");
        }
        assert!(buf.matches("<polyline").count() >= 1, "solid series");
        assert!(buf.contains("loss") && buf.contains("step"), "axis titles");
        save(&buf, &format!("chart-log-{log}.svg"));
    }
}

/// One chart of one series as SVG text.
fn chart_svg(ys: &[f64], log: bool) -> String {
    let xs: Vec<f64> = (0..ys.len()).map(|i| i as f64).collect();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (W, 240)).into_drawing_area();
        draw_chart(
            &root,
            1.0,
            &[Series {
                colour: optimizer_colour(0),
                xs: &xs,
                ys,
                dashed: false,
                long_dash: false,
            }],
            log,
            "step",
            "loss",
        )
        .expect("chart draws");
        root.present().expect("present");
    }
    buf
}

/// The text of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            Some(
                t.split_once('>')?
                    .1
                    .split_once("</text>")?
                    .0
                    .trim()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn ticks_are_round_and_distinct_even_on_ranges_a_few_doubles_wide() {
    assert_eq!(
        nice_ticks(0.0, 10.0, 5),
        vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    );
    assert_eq!(nice_ticks(-1.0, 1.0, 4), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
    for base in [1e5, 3e5, 1e7, 1e300, 1e-300] {
        let hi = base * (1.0 + 3.0 * f64::EPSILON);
        let t = nice_ticks(base, hi, 5);
        assert!(
            !t.is_empty() && t.windows(2).all(|w| w[0] < w[1]),
            "{base}: {t:?}"
        );
    }
    assert_eq!(nice_ticks(2.0, 2.0, 5), vec![2.0]);
    assert_eq!(nice_ticks(f64::NAN, 1.0, 5).len(), 1);
}

#[test]
fn charts_survive_flat_tiny_and_huge_values() {
    // A loss constant to within a few doubles of 1e5 (it used to give a zero grid spacing).
    let flat: Vec<f64> = (0..50)
        .map(|i| 1e5 * (1.0 + (i % 3) as f64 * f64::EPSILON))
        .collect();
    assert!(chart_svg(&flat, false).contains("<polyline"));
    // Subnormal and huge values on a log axis: the axis stays finite, labelled in decades.
    let wide = [5e-324, 1e-300, 1.0, 1e300, 1.7e308];
    let svg = chart_svg(&wide, true);
    assert!(svg.contains("<polyline"));
    assert!(
        !svg.contains("NaN") && !svg.contains("inf"),
        "finite coordinates"
    );
    // A constant α on a log axis spans one decade: its labels are whole decades, each once.
    let labels: Vec<String> = texts(&chart_svg(&[0.05; 20], true))
        .into_iter()
        .filter(|t| t.starts_with("0."))
        .collect();
    assert_eq!(labels, ["0.01", "0.1"], "one label per decade");
}

/// The overlay of `run` as SVG (no frame), with the scene's own path descriptions.
fn overlay_svg(run: &gradscape::core::run::Run, rect: &PlotRect, lookahead: bool) -> String {
    let mut paths = Vec::new();
    collect_paths(run, &mut paths);
    let mut specs = path_specs(run, &paths, false);
    if !lookahead {
        specs.iter_mut().for_each(|s| s.lookahead = None);
    }
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (W, H)).into_drawing_area();
        let start = (run.start[0], run.start[1]);
        draw_overlay(&root, 1.0, rect, start, &specs, None).expect("overlay draws");
        root.present().expect("present");
    }
    buf
}

/// Hollow rings (`fill="none"`) of radius `r` in colour `stroke`, as (cx, cy).
fn rings(svg: &str, r: u32, stroke: &str) -> Vec<(i32, i32)> {
    let attr = |el: &str, name: &str| -> Option<String> {
        let rest = el.split(&format!(" {name}=\"")).nth(1)?;
        Some(rest.split('"').next()?.to_string())
    };
    svg.split("<circle")
        .skip(1)
        .filter(|el| {
            attr(el, "fill").as_deref() == Some("none")
                && attr(el, "r") == Some(r.to_string())
                && attr(el, "stroke").is_some_and(|s| s.eq_ignore_ascii_case(stroke))
        })
        .filter_map(|el| Some((attr(el, "cx")?.parse().ok()?, attr(el, "cy")?.parse().ok()?)))
        .collect()
}

#[test]
fn nesterov_draws_its_lookahead_ring_where_it_took_its_gradient() {
    // Momentum and Nesterov on the bowl: only Nesterov (optimizer 1) has a look-ahead point
    // θ̃ = θ − γv, drawn as a hollow ring of radius 4 in its colour.
    let sc = Scenario::parse("surface=bowl&start=3,2&opt=momentum:lr=0.05&opt=nesterov:lr=0.05")
        .expect("valid");
    let mut run = sc.build_run();
    run.advance(3);
    let nag = &run.tracks[1];
    let ring = (nag.state.lookahead[0], nag.state.lookahead[1]);
    let rect = gradscape::render::contour_rect(W, H, 1.0, run.objective.info().view);
    let (r, g, b) = optimizer_colour(1);
    let colour = format!("#{r:02X}{g:02X}{b:02X}");
    let at = rect.to_px(ring.0, ring.1);
    let here = rect.to_px(nag.theta[0], nag.theta[1]);
    assert!(
        (at.0 - here.0).abs().max((at.1 - here.1).abs()) >= 6,
        "θ̃ = {ring:?} (pixel {at:?}) should be clear of θ = {:?} (pixel {here:?})",
        nag.theta
    );
    let near = |p: &(i32, i32)| (p.0 - at.0).abs() <= 1 && (p.1 - at.1).abs() <= 1;
    let svg = overlay_svg(&run, &rect, true);
    save(&svg, "overlay-lookahead.svg");
    let drawn = rings(&svg, 4, &colour);
    assert_eq!(
        drawn.iter().filter(|p| near(p)).count(),
        1,
        "one ring in Nesterov's colour at θ̃ = {ring:?}, pixel {at:?}; rings drawn: {drawn:?}"
    );
    // Without a look-ahead point there is no such ring (the check can fail).
    let none = rings(&overlay_svg(&run, &rect, false), 4, &colour);
    assert!(!none.iter().any(near), "{none:?}");
    let (r, g, b) = optimizer_colour(0);
    let momentum = rings(&svg, 4, &format!("#{r:02X}{g:02X}{b:02X}"));
    assert!(
        momentum.is_empty(),
        "momentum has no look-ahead: {momentum:?}"
    );
}
