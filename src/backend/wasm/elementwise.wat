;; Elementwise and reduction kernels of src/backend/wasm/activation.ts and reduce.ts in WebAssembly SIMD,
;; run on the tfjs heap itself: JavaScript loops over views of the threaded build's heap (a growable
;; SharedArrayBuffer) ran 2-3× slower than over plain arrays. Results are bit for bit those of the
;; kernels they replace (tests in test/backend/wasmKernels.test.ts). Compiled by scripts/build-wasm.js
;; (wabt's wat2wasm) into elementwiseSimd.ts, once with a plain and once with a shared memory import.
;; Arguments are byte offsets on the heap, element counts and scalars.
(module
  (import "env" "memory" (memory 1 65536 MEMORY_SHARED))

  ;; out[i] = x[i] > 0 ? x[i] : α·x[i] for i < n (α·x rounds once, as float32 multiplication does).
  (func (export "leaky_relu") (param $x i32) (param $out i32) (param $n i32) (param $a f32)
    (local $i i32) (local $end i32) (local $A v128) (local $v v128) (local $s f32)
    (local.set $A (f32x4.splat (local.get $a)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $vec_done
      (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (v128.bitselect
            (local.get $v)
            (f32x4.mul (local.get $v) (local.get $A))
            (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vec)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $s (f32.load (i32.add (local.get $x) (local.get $i))))
        (f32.store (i32.add (local.get $out) (local.get $i))
          (select
            (local.get $s)
            (f32.mul (local.get $s) (local.get $a))
            (f32.gt (local.get $s) (f32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail))))

  ;; out[i] = x[i] > s as a byte 0/1 (tfjs bool) for i < n; x float32, out one byte per element.
  (func (export "greater_scalar") (param $x i32) (param $out i32) (param $n i32) (param $s f32)
    (local $i i32) (local $end i32) (local $S v128) (local $p i32)
    (local.set $S (f32x4.splat (local.get $s)))
    ;; 16 elements per pass: four float compares (lanes −1/0), narrowed to 16 bytes, masked to 0/1.
    (local.set $end (i32.and (local.get $n) (i32.const -16)))
    (block $vec_done
      (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (v128.and
            (i8x16.narrow_i16x8_s
              (i16x8.narrow_i32x4_s
                (f32x4.gt (v128.load (local.get $p)) (local.get $S))
                (f32x4.gt (v128.load offset=16 (local.get $p)) (local.get $S)))
              (i16x8.narrow_i32x4_s
                (f32x4.gt (v128.load offset=32 (local.get $p)) (local.get $S))
                (f32x4.gt (v128.load offset=48 (local.get $p)) (local.get $S))))
            (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vec)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 (i32.add (local.get $out) (local.get $i))
          (f32.gt (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))) (local.get $s)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))

  ;; out[j] = float32(scale · Σ_i x[i, j]) for x [outer, inner], columns j0 ≤ j < j1, each column summed
  ;; in float64 from row 0 down (the order of reduceRows.ts), eight columns per pass down the rows.
  (func (export "sum_rows")
    (param $x i32) (param $out i32) (param $outer i32) (param $inner i32) (param $j0 i32) (param $j1 i32)
    (param $scale f64)
    (local $j i32) (local $i i32) (local $p i32) (local $o i32) (local $rowBytes i32) (local $end i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $S v128) (local $s f64)
    (local.set $rowBytes (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $S (f64x2.splat (local.get $scale)))
    (local.set $j (local.get $j0))
    (local.set $end (i32.add (local.get $j0) (i32.and (i32.sub (local.get $j1) (local.get $j0)) (i32.const -8))))
    (block $eights_done
      (loop $eights
        (br_if $eights_done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $outer)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p)))))
            (local.set $a1
              (f64x2.add (local.get $a1) (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p)))))
            (local.set $a2
              (f64x2.add (local.get $a2) (f64x2.promote_low_f32x4 (v128.load64_zero offset=16 (local.get $p)))))
            (local.set $a3
              (f64x2.add (local.get $a3) (f64x2.promote_low_f32x4 (v128.load64_zero offset=24 (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))))
        (v128.store64_lane 0 (local.get $o) (f32x4.demote_f64x2_zero (f64x2.mul (local.get $a0) (local.get $S))))
        (v128.store64_lane offset=8 0 (local.get $o)
          (f32x4.demote_f64x2_zero (f64x2.mul (local.get $a1) (local.get $S))))
        (v128.store64_lane offset=16 0 (local.get $o)
          (f32x4.demote_f64x2_zero (f64x2.mul (local.get $a2) (local.get $S))))
        (v128.store64_lane offset=24 0 (local.get $o)
          (f32x4.demote_f64x2_zero (f64x2.mul (local.get $a3) (local.get $S))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $eights)))
    ;; The last (j1 − j0) mod 8 columns, one at a time.
    (block $cols_done
      (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $j) (local.get $j1)))
        (local.set $s (f64.const 0))
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $col_done
          (loop $col
            (br_if $col_done (i32.ge_u (local.get $i) (local.get $outer)))
            (local.set $s (f64.add (local.get $s) (f64.promote_f32 (f32.load (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $col)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
          (f32.demote_f64 (f64.mul (local.get $s) (local.get $scale))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $cols))))

  ;; out[r, j] = x[r, j] + y[r, j] for r < rows, j < cols, y's rows yRow bytes apart: with yRow 0 one row y is
  ;; added to every row of x (a bias). Two tensors of the same shape are one row of all their elements.
  (func (export "add_rows") (param $x i32) (param $y i32) (param $out i32) (param $rows i32) (param $cols i32)
    (param $yRow i32)
    (local $r i32) (local $j i32) (local $end i32) (local $o i32) (local $rowB i32)
    (local.set $end (i32.and (local.get $cols) (i32.const -4)))
    (local.set $rowB (i32.shl (local.get $cols) (i32.const 2)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $j) (local.get $end)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (v128.store (i32.add (local.get $out) (local.get $o))
              (f32x4.add
                (v128.load (i32.add (local.get $x) (local.get $o)))
                (v128.load (i32.add (local.get $y) (local.get $o)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $vec)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (f32.store (i32.add (local.get $out) (local.get $o))
              (f32.add
                (f32.load (i32.add (local.get $x) (local.get $o)))
                (f32.load (i32.add (local.get $y) (local.get $o)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        (local.set $x (i32.add (local.get $x) (local.get $rowB)))
        (local.set $out (i32.add (local.get $out) (local.get $rowB)))
        (local.set $y (i32.add (local.get $y) (local.get $yRow)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; out[i] = c[i] ? t[i] : e[i] for i < n; c one byte (tfjs bool) per element, t, e, out float32.
  (func (export "select") (param $c i32) (param $t i32) (param $e i32) (param $out i32) (param $n i32)
    (local $i i32) (local $end i32) (local $o i32)
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (block $vec_done
      (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (v128.store (i32.add (local.get $out) (local.get $o))
          (v128.bitselect
            (v128.load (i32.add (local.get $t) (local.get $o)))
            (v128.load (i32.add (local.get $e) (local.get $o)))
            (i32x4.ne
              (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
                (v128.load32_zero (i32.add (local.get $c) (local.get $i)))))
              (v128.const i32x4 0 0 0 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vec)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (f32.store (i32.add (local.get $out) (local.get $o))
          (select
            (f32.load (i32.add (local.get $t) (local.get $o)))
            (f32.load (i32.add (local.get $e) (local.get $o)))
            (i32.load8_u (i32.add (local.get $c) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))))
