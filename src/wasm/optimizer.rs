//! The scriptable [`Optimizer`]: one update of any rule, on a gradient given by a JavaScript
//! function, through the same compiled update the page's runs use ([`Stepper`] keeps its
//! schedule in step with a run's).

use wasm_bindgen::prelude::*;

use crate::core::optim::{GradientOracle, Update};
use crate::core::scenario::{optimizer_text, parse_optimizer_text};
use crate::core::stepper::Stepper;

/// One optimizer to script from a course page: `new Optimizer("adam:lr=0.05", 2)` then
/// `opt.step(theta, grad)` performs exactly one update of `theta` (a `Float64Array`, changed in
/// place) with the gradient returned by `grad(theta)`, using the rule's equation from the lecture.
#[wasm_bindgen]
pub struct Optimizer {
    stepper: Stepper,
    dim: usize,
}

#[wasm_bindgen]
impl Optimizer {
    /// `spec` is an optimizer's scenario text (`gd:lr=0.1`, `nesterov:lr=0.01,gamma=0.9`,
    /// `adam:lr=0.05,bias_correction=false`, schedules included); `dim` the number of parameters.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: &str, dim: usize) -> Result<Optimizer, JsError> {
        if dim == 0 || dim > 1_000_000 {
            return Err(JsError::new(&format!(
                "dim = {dim}: the number of parameters must be in [1, 1000000]"
            )));
        }
        let config = parse_optimizer_text(spec).map_err(|e| JsError::new(&e.to_string()))?;
        if config.source.noise != 0.0 {
            return Err(JsError::new(
                "noise: a scripted optimizer uses the gradient your function returns; add noise there",
            ));
        }
        Ok(Optimizer {
            stepper: Stepper::new(config, dim),
            dim,
        })
    }

    /// One update of `theta` in place. `grad(point)` must return the gradient at `point` as an
    /// array or typed array of `dim` numbers, or `{grad, loss}`. The loss-rise step schedule
    /// (`schedule=step,on_increase=true`) needs the loss: it compares L(θ) before and after each
    /// update, as a run does, so `grad` is also called at θ before the update and at the new θ
    /// after it. On any error `theta` and the state are unchanged.
    pub fn step(&mut self, theta: &mut [f64], grad: &js_sys::Function) -> Result<(), JsError> {
        if theta.len() != self.dim {
            return Err(JsError::new(&format!(
                "theta has {} numbers; this optimizer was made for dim = {}",
                theta.len(),
                self.dim
            )));
        }
        let saved_theta = theta.to_vec();
        let saved = self.stepper.clone();
        let needs_loss = self.stepper.needs_loss();
        let mut failure: Option<String> = None;
        let mut oracle = |p: &[f64], g: &mut [f64]| -> f64 {
            match call_gradient(grad, p, g) {
                Ok(loss) if needs_loss && !loss.is_finite() => {
                    failure.get_or_insert_with(|| {
                        "on_increase=true compares L before and after each update: return \
                         {grad, loss} with a finite loss"
                            .into()
                    });
                    loss
                }
                Ok(loss) => loss,
                Err(e) => {
                    failure.get_or_insert(e);
                    g.iter_mut().for_each(|x| *x = 0.0);
                    f64::NAN
                }
            }
        };
        // Through `dyn`: the same compiled update as the page's runs use.
        let oracle: &mut dyn GradientOracle = &mut oracle;
        self.stepper.step(theta, oracle);
        if let Some(e) = failure {
            theta.copy_from_slice(&saved_theta);
            self.stepper = saved;
            return Err(JsError::new(&e));
        }
        Ok(())
    }

    /// Updates made so far.
    #[wasm_bindgen(getter)]
    pub fn t(&self) -> f64 {
        self.stepper.state.t as f64
    }

    /// α_t of the next update.
    #[wasm_bindgen(js_name = learningRate)]
    pub fn learning_rate(&self) -> f64 {
        self.stepper.next_rate()
    }

    /// Velocity v (Momentum, Nesterov), zeros otherwise.
    pub fn velocity(&self) -> Vec<f64> {
        self.stepper.state.v.clone()
    }

    /// Accumulated squared gradient r (Adagrad, RMSProp, Adam), zeros otherwise.
    pub fn accumulator(&self) -> Vec<f64> {
        self.stepper.state.r.clone()
    }

    /// Nesterov's last look-ahead point θ̃ = θ − γv.
    pub fn lookahead(&self) -> Vec<f64> {
        self.stepper.state.lookahead.clone()
    }

    /// Per-parameter effective rate of the last update: α/(δ + √r) for adaptive rules (NaN
    /// before their first update, when r = 0 gives none), α otherwise.
    #[wasm_bindgen(js_name = effectiveLearningRate)]
    pub fn effective_learning_rate(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.dim];
        let s = &self.stepper;
        s.config
            .rule
            .effective_lr(&s.state, s.last_rate(), &mut out);
        out
    }

    /// Back to t = 0 with zeroed state.
    pub fn reset(&mut self) {
        self.stepper.reset();
    }

    /// The optimizer's canonical text.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_text(&self) -> String {
        optimizer_text(&self.stepper.config)
    }
}

/// Call `grad(point)` and copy the result into `g`; returns the loss if the function gave one.
fn call_gradient(grad: &js_sys::Function, p: &[f64], g: &mut [f64]) -> Result<f64, String> {
    let arg = js_sys::Float64Array::from(p);
    let out = grad
        .call1(&JsValue::NULL, &arg)
        .map_err(|e| format!("the gradient function threw: {}", js_text(&e)))?;
    let (values, loss) = if out.is_object()
        && !js_sys::Array::is_array(&out)
        && !out.is_instance_of::<js_sys::Float64Array>()
        && js_sys::Reflect::has(&out, &"grad".into()).unwrap_or(false)
    {
        let gv = js_sys::Reflect::get(&out, &"grad".into()).unwrap_or(JsValue::UNDEFINED);
        let lv = js_sys::Reflect::get(&out, &"loss".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(f64::NAN);
        (gv, lv)
    } else {
        (out, f64::NAN)
    };
    let arr = js_sys::Array::from(&values);
    if arr.length() as usize != g.len() {
        return Err(format!(
            "the gradient function returned {} numbers; {} are needed",
            arr.length(),
            g.len()
        ));
    }
    for (i, gi) in g.iter_mut().enumerate() {
        *gi = arr
            .get(i as u32)
            .as_f64()
            .ok_or_else(|| format!("gradient entry {i} is not a number"))?;
    }
    Ok(loss)
}

/// Best-effort text of a thrown JS value.
fn js_text(v: &JsValue) -> String {
    if let Some(s) = v.as_string() {
        return s;
    }
    js_sys::Reflect::get(v, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "an exception".into())
}
