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

/// Segments (as pairs of edge ids) crossing level in every square of the grid.
fn segments(field: &Field, level: f64) -> Vec<(usize, usize)> {
    let (nx, ny) = (field.nx, field.ny);
    let mut out = Vec::new();
    for j in 0..ny - 1 {
        for i in 0..nx - 1 {
            // Corners: a = (i, j), b = (i+1, j), c = (i+1, j+1), d = (i, j+1).
            let (a, b, c, d) = (
                field.at(i, j),
                field.at(i + 1, j),
                field.at(i + 1, j + 1),
                field.at(i, j + 1),
            );
            if !(a.is_finite() && b.is_finite() && c.is_finite() && d.is_finite()) {
                continue;
            }
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
                // Saddle squares: the centre decides which corners are connected.
                5 => {
                    if centre_above {
                        out.push((left, bottom));
                        out.push((top, right));
                    } else {
                        out.push((left, top));
                        out.push((right, bottom));
                    }
                }
                10 => {
                    if centre_above {
                        out.push((left, top));
                        out.push((right, bottom));
                    } else {
                        out.push((left, bottom));
                        out.push((top, right));
                    }
                }
                _ => unreachable!("four bits"),
            }
        }
    }
    out
}

/// All contour polylines of `field` at `level`.
pub fn contours(field: &Field, level: f64) -> Vec<Contour> {
    let segs = segments(field, level);
    // Each edge is shared by at most two segments; edge ids are dense, so a flat table works.
    let mut by_edge = vec![[usize::MAX; 2]; 2 * field.nx * field.ny];
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
    let mut lines = Vec::new();
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
    lines
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
}
