//! Contour lines by marching squares on a [`Field`], joined into polylines so each line is
//! one stroke (and can carry a label).

use super::field::Field;

/// One contour polyline at `level`, in data coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Contour {
    pub level: f64,
    pub points: Vec<(f64, f64)>,
    pub closed: bool,
}

/// Edge of the sample grid: horizontal edges between (i, j) and (i+1, j) get even ids,
/// vertical ones between (i, j) and (i, j+1) odd ids.
fn h_edge(nx: usize, i: usize, j: usize) -> usize {
    2 * (j * nx + i)
}
fn v_edge(nx: usize, i: usize, j: usize) -> usize {
    2 * (j * nx + i) + 1
}

/// Where the level crosses an edge (linear interpolation between the two samples).
fn crossing(field: &Field, edge: usize, level: f64) -> (f64, f64) {
    let nx = field.nx;
    let cell = edge / 2;
    let (i, j) = (cell % nx, cell / nx);
    let (i2, j2) = if edge.is_multiple_of(2) {
        (i + 1, j)
    } else {
        (i, j + 1)
    };
    let (a, b) = (field.at(i, j), field.at(i2, j2));
    let t = if b != a { (level - a) / (b - a) } else { 0.5 };
    let t = t.clamp(0.0, 1.0);
    let (x1, y1) = field.centre(i, j);
    let (x2, y2) = field.centre(i2, j2);
    (x1 + t * (x2 - x1), y1 + t * (y2 - y1))
}

/// The segments (pairs of edge ids) of one square at `level`, whose corners are a = (i, j),
/// b = (i+1, j), c = (i+1, j+1), d = (i, j+1) with values `v`.
fn square(nx: usize, i: usize, j: usize, v: [f64; 4], level: f64, out: &mut Vec<(usize, usize)>) {
    let [a, b, c, d] = v;
    let case = (a > level) as u8
        | ((b > level) as u8) << 1
        | ((c > level) as u8) << 2
        | ((d > level) as u8) << 3;
    // Edges of the square: top ab, right bc, bottom dc, left ad.
    let top = h_edge(nx, i, j);
    let right = v_edge(nx, i + 1, j);
    let bottom = h_edge(nx, i, j + 1);
    let left = v_edge(nx, i, j);
    let centre_above = (a + b + c + d) / 4.0 > level;
    match case {
        0 | 15 => {}
        1 | 14 => out.push((left, top)),
        2 | 13 => out.push((top, right)),
        3 | 12 => out.push((left, right)),
        4 | 11 => out.push((right, bottom)),
        6 | 9 => out.push((top, bottom)),
        7 | 8 => out.push((left, bottom)),
        // Saddle squares (5: a and c above, 10: b and d): the centre decides which corners
        // are connected.
        5 | 10 => {
            if (case == 5) == centre_above {
                out.push((left, bottom));
                out.push((top, right));
            } else {
                out.push((left, top));
                out.push((right, bottom));
            }
        }
        _ => unreachable!("four bits"),
    }
}

/// The segments of every level, in one pass over the squares. Each sample's band (how many
/// levels lie below it) is found once by bisection; a square whose corners share a band is
/// crossed by no level, and otherwise by the levels from its lowest corner's band up to its
/// highest's: exactly those in [min, max) of its corners.
fn segments(field: &Field, levels: &[f64]) -> Vec<Vec<(usize, usize)>> {
    let (nx, ny) = (field.nx, field.ny);
    // Insertion sort: a handful of levels, and no slice sort's code in the wasm.
    let mut order: Vec<usize> = Vec::with_capacity(levels.len());
    for k in 0..levels.len() {
        let at = order.partition_point(|&o| levels[o].total_cmp(&levels[k]).is_le());
        order.insert(at, k);
    }
    let sorted: Vec<f64> = order.iter().map(|&k| levels[k]).collect();
    let band: Vec<u16> = field
        .values
        .iter()
        .map(|&v| sorted.partition_point(|&l| l < v).min(u16::MAX as usize) as u16)
        .collect();
    let mut out = vec![Vec::new(); levels.len()];
    for j in 0..ny.saturating_sub(1) {
        for i in 0..nx - 1 {
            let (k0, k1) = (j * nx + i, (j + 1) * nx + i);
            let b = [band[k0], band[k0 + 1], band[k1 + 1], band[k1]];
            let (first, last) = (
                b.iter().copied().fold(u16::MAX, u16::min) as usize,
                b.iter().copied().fold(0, u16::max) as usize,
            );
            if first == last {
                continue;
            }
            let v = [
                field.at(i, j),
                field.at(i + 1, j),
                field.at(i + 1, j + 1),
                field.at(i, j + 1),
            ];
            if !v.iter().all(|x| x.is_finite()) {
                continue;
            }
            for &k in &order[first..last] {
                square(nx, i, j, v, levels[k], &mut out[k]);
            }
        }
    }
    out
}

/// All contour polylines of `field` at `level`.
pub fn contours(field: &Field, level: f64) -> Vec<Contour> {
    contour_set(field, &[level])
}

/// All contour polylines of `field` at each of `levels`, level by level in their order.
pub fn contour_set(field: &Field, levels: &[f64]) -> Vec<Contour> {
    if field.nx < 2 || field.ny < 2 {
        return Vec::new();
    }
    // Each edge is shared by at most two segments; edge ids are dense, so a flat table works.
    // One table for every level: the slots a level filled are cleared after it.
    let mut by_edge = vec![[usize::MAX; 2]; 2 * field.nx * field.ny];
    let mut lines = Vec::new();
    for (segs, &level) in segments(field, levels).iter().zip(levels) {
        link(field, level, segs, &mut by_edge, &mut lines);
        for &(e1, e2) in segs {
            by_edge[e1] = [usize::MAX; 2];
            by_edge[e2] = [usize::MAX; 2];
        }
    }
    lines
}

/// Join the segments `segs` of one level into polylines, appended to `lines`.
fn link(
    field: &Field,
    level: f64,
    segs: &[(usize, usize)],
    by_edge: &mut [[usize; 2]],
    lines: &mut Vec<Contour>,
) {
    for (k, &(e1, e2)) in segs.iter().enumerate() {
        for e in [e1, e2] {
            let slot = &mut by_edge[e];
            if slot[0] == usize::MAX {
                slot[0] = k;
            } else {
                slot[1] = k;
            }
        }
    }
    let mut used = vec![false; segs.len()];
    // Start from open ends first so open lines come out whole, then the closed loops.
    let mut order: Vec<usize> = (0..segs.len())
        .filter(|&k| {
            let (e1, e2) = segs[k];
            by_edge[e1][1] == usize::MAX || by_edge[e2][1] == usize::MAX
        })
        .collect();
    order.extend(0..segs.len());
    for k0 in order {
        if used[k0] {
            continue;
        }
        used[k0] = true;
        let (e1, e2) = segs[k0];
        // Walk from the open end if there is one.
        let (first, mut edge) = if by_edge[e2][1] == usize::MAX && by_edge[e1][1] != usize::MAX {
            (e2, e1)
        } else {
            (e1, e2)
        };
        let mut edges = vec![first, edge];
        let mut closed = false;
        loop {
            let pair = by_edge[edge];
            let next = if pair[0] != usize::MAX && !used[pair[0]] {
                pair[0]
            } else if pair[1] != usize::MAX && !used[pair[1]] {
                pair[1]
            } else {
                break;
            };
            used[next] = true;
            let (a, b) = segs[next];
            edge = if a == edge { b } else { a };
            if edge == first {
                closed = true;
                edges.push(edge);
                break;
            }
            edges.push(edge);
        }
        let points = edges.iter().map(|&e| crossing(field, e, level)).collect();
        lines.push(Contour {
            level,
            points,
            closed,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bowl_field(n: usize) -> Field {
        let view = [-2.0, 2.0, -2.0, 2.0];
        let mut values = Vec::new();
        for j in 0..n {
            for i in 0..n {
                let x = view[0] + (i as f64 + 0.5) / n as f64 * 4.0;
                let y = view[3] - (j as f64 + 0.5) / n as f64 * 4.0;
                values.push(x * x + y * y);
            }
        }
        Field {
            nx: n,
            ny: n,
            view,
            values,
            min: 0.0,
            max: 8.0,
            non_finite: 0,
        }
    }

    #[test]
    fn circle_contour_is_one_closed_loop_at_the_right_radius() {
        let f = bowl_field(80);
        let cs = contours(&f, 1.0);
        assert_eq!(cs.len(), 1);
        assert!(cs[0].closed);
        assert!(cs[0].points.len() > 40);
        for &(x, y) in &cs[0].points {
            let r = (x * x + y * y).sqrt();
            assert!((r - 1.0).abs() < 0.01, "r = {r}");
        }
    }

    #[test]
    fn contour_cut_by_the_view_is_one_open_line() {
        // Level 5.5 circle (r ≈ 2.35) leaves the 4×4 box: four open arcs in the corners.
        let f = bowl_field(60);
        let cs = contours(&f, 5.5);
        assert_eq!(cs.len(), 4);
        assert!(cs.iter().all(|c| !c.closed && c.points.len() > 3));
    }

    #[test]
    fn level_outside_the_range_gives_nothing_and_nan_cells_are_skipped() {
        let mut f = bowl_field(20);
        assert!(contours(&f, 100.0).is_empty());
        f.values[0] = f64::NAN;
        let _ = contours(&f, 7.9);
    }

    #[test]
    fn every_level_at_once_equals_each_level_alone_in_any_order() {
        // Two bowls side by side: squares crossed by several levels, closed and open lines.
        let mut f = bowl_field(50);
        for (k, v) in f.values.iter_mut().enumerate() {
            let (i, j) = ((k % 50) as f64, (k / 50) as f64);
            *v = v.min(((i - 40.0).powi(2) + (j - 12.0).powi(2)) / 60.0);
        }
        f.values[7] = f64::NAN;
        let mut levels = vec![0.5, 7.5, 1.0, 2.0, 2.0, 0.01, 100.0, f64::NAN, 3.3];
        for _ in 0..2 {
            let each: Vec<Contour> = levels.iter().flat_map(|&l| contours(&f, l)).collect();
            assert!(each.len() > 8);
            assert_eq!(contour_set(&f, &levels), each);
            levels.reverse();
        }
    }
}
