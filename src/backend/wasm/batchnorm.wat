;; The passes of the training-mode batch-norm kernels (src/backend/wasm/batchNorm.ts) in WebAssembly SIMD,
;; on the tfjs heap. Tensors are [outer, inner] row-major, channels (inner) last; per-channel vectors
;; (m, a, b, A, B, C) are float32 [inner]. Sums go down the rows in float64, eight columns per pass (the
;; pattern of sum_rows in elementwise.wat); the remaining inner mod 8 columns one at a time. Compiled by
;; scripts/build-wasm.js into batchNormSimd.ts (a plain- and a shared-memory variant). Arguments are
;; byte offsets on the heap, counts and scalars.
(module
  (import "env" "memory" (memory 1 65536 MEMORY_SHARED))

  ;; out[j] = float32(scale · Σ_i (x[i, j] − m[j])²), the difference in float32, its square and the sum
  ;; in float64.
  (func (export "sum_sq_dev_rows")
    (param $x i32) (param $m i32) (param $out i32) (param $outer i32) (param $inner i32) (param $scale f64)
    (local $j i32) (local $i i32) (local $p i32) (local $o i32) (local $rowBytes i32) (local $end i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $m0 v128) (local $m1 v128)
    (local $d v128) (local $e v128) (local $S v128) (local $s f64) (local $ms f32) (local $ds f64)
    (local.set $rowBytes (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $S (f64x2.splat (local.get $scale)))
    (local.set $end (i32.and (local.get $inner) (i32.const -8)))
    (block $eights_done
      (loop $eights
        (br_if $eights_done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $o (i32.shl (local.get $j) (i32.const 2)))
        (local.set $m0 (v128.load (i32.add (local.get $m) (local.get $o))))
        (local.set $m1 (v128.load offset=16 (i32.add (local.get $m) (local.get $o))))
        (local.set $p (i32.add (local.get $x) (local.get $o)))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $outer)))
            (local.set $d (f32x4.sub (v128.load (local.get $p)) (local.get $m0)))
            (local.set $e (f64x2.promote_low_f32x4 (local.get $d)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $e) (local.get $e))))
            (local.set $e (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
              (local.get $d) (local.get $d))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $e) (local.get $e))))
            (local.set $d (f32x4.sub (v128.load offset=16 (local.get $p)) (local.get $m1)))
            (local.set $e (f64x2.promote_low_f32x4 (local.get $d)))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $e) (local.get $e))))
            (local.set $e (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
              (local.get $d) (local.get $d))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $e) (local.get $e))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $o (i32.add (local.get $out) (local.get $o)))
        (v128.store64_lane 0 (local.get $o) (f32x4.demote_f64x2_zero (f64x2.mul (local.get $a0) (local.get $S))))
        (v128.store64_lane offset=8 0 (local.get $o)
          (f32x4.demote_f64x2_zero (f64x2.mul (local.get $a1) (local.get $S))))
        (v128.store64_lane offset=16 0 (local.get $o)
          (f32x4.demote_f64x2_zero (f64x2.mul (local.get $a2) (local.get $S))))
        (v128.store64_lane offset=24 0 (local.get $o)
          (f32x4.demote_f64x2_zero (f64x2.mul (local.get $a3) (local.get $S))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $eights)))
    (block $cols_done
      (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $j) (local.get $inner)))
        (local.set $s (f64.const 0))
        (local.set $o (i32.shl (local.get $j) (i32.const 2)))
        (local.set $ms (f32.load (i32.add (local.get $m) (local.get $o))))
        (local.set $p (i32.add (local.get $x) (local.get $o)))
        (local.set $i (i32.const 0))
        (block $col_done
          (loop $col
            (br_if $col_done (i32.ge_u (local.get $i) (local.get $outer)))
            (local.set $ds (f64.promote_f32 (f32.sub (f32.load (local.get $p)) (local.get $ms))))
            (local.set $s (f64.add (local.get $s) (f64.mul (local.get $ds) (local.get $ds))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $col)))
        (f32.store (i32.add (local.get $out) (local.get $o))
          (f32.demote_f64 (f64.mul (local.get $s) (local.get $scale))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $cols))))

  ;; s1[j] = float32(Σ_i dy[i, j]) and s2[j] = float32(Σ_i dy[i, j]·(x[i, j] − m[j])), in float64 (the
  ;; difference in float32), four columns per pass.
  (func (export "sum_dy_rows")
    (param $dy i32) (param $x i32) (param $m i32) (param $s1 i32) (param $s2 i32) (param $outer i32)
    (param $inner i32)
    (local $j i32) (local $i i32) (local $p i32) (local $q i32) (local $o i32) (local $rowBytes i32)
    (local $end i32) (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128) (local $m0 v128)
    (local $g v128) (local $d v128) (local $gl v128) (local $gh v128) (local $t f64) (local $u f64)
    (local $gs f64) (local $ms f32)
    (local.set $rowBytes (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $end (i32.and (local.get $inner) (i32.const -4)))
    (block $fours_done
      (loop $fours
        (br_if $fours_done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $b0 (v128.const i64x2 0 0))
        (local.set $b1 (v128.const i64x2 0 0))
        (local.set $o (i32.shl (local.get $j) (i32.const 2)))
        (local.set $m0 (v128.load (i32.add (local.get $m) (local.get $o))))
        (local.set $p (i32.add (local.get $dy) (local.get $o)))
        (local.set $q (i32.add (local.get $x) (local.get $o)))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $outer)))
            (local.set $g (v128.load (local.get $p)))
            (local.set $d (f32x4.sub (v128.load (local.get $q)) (local.get $m0)))
            (local.set $gl (f64x2.promote_low_f32x4 (local.get $g)))
            (local.set $gh (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
              (local.get $g) (local.get $g))))
            (local.set $a0 (f64x2.add (local.get $a0) (local.get $gl)))
            (local.set $a1 (f64x2.add (local.get $a1) (local.get $gh)))
            (local.set $b0 (f64x2.add (local.get $b0)
              (f64x2.mul (local.get $gl) (f64x2.promote_low_f32x4 (local.get $d)))))
            (local.set $b1 (f64x2.add (local.get $b1)
              (f64x2.mul (local.get $gh) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                (local.get $d) (local.get $d))))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $q (i32.add (local.get $q) (local.get $rowBytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (v128.store64_lane 0 (i32.add (local.get $s1) (local.get $o)) (f32x4.demote_f64x2_zero (local.get $a0)))
        (v128.store64_lane offset=8 0 (i32.add (local.get $s1) (local.get $o))
          (f32x4.demote_f64x2_zero (local.get $a1)))
        (v128.store64_lane 0 (i32.add (local.get $s2) (local.get $o)) (f32x4.demote_f64x2_zero (local.get $b0)))
        (v128.store64_lane offset=8 0 (i32.add (local.get $s2) (local.get $o))
          (f32x4.demote_f64x2_zero (local.get $b1)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $fours)))
    (block $cols_done
      (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $j) (local.get $inner)))
        (local.set $t (f64.const 0))
        (local.set $u (f64.const 0))
        (local.set $o (i32.shl (local.get $j) (i32.const 2)))
        (local.set $ms (f32.load (i32.add (local.get $m) (local.get $o))))
        (local.set $p (i32.add (local.get $dy) (local.get $o)))
        (local.set $q (i32.add (local.get $x) (local.get $o)))
        (local.set $i (i32.const 0))
        (block $col_done
          (loop $col
            (br_if $col_done (i32.ge_u (local.get $i) (local.get $outer)))
            (local.set $gs (f64.promote_f32 (f32.load (local.get $p))))
            (local.set $t (f64.add (local.get $t) (local.get $gs)))
            (local.set $u (f64.add (local.get $u)
              (f64.mul (local.get $gs) (f64.promote_f32 (f32.sub (f32.load (local.get $q)) (local.get $ms))))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $q (i32.add (local.get $q) (local.get $rowBytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $col)))
        (f32.store (i32.add (local.get $s1) (local.get $o)) (f32.demote_f64 (local.get $t)))
        (f32.store (i32.add (local.get $s2) (local.get $o)) (f32.demote_f64 (local.get $u)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $cols))))

  ;; out[i, j] = A[j]·p[i, j] + B[j]·(q[i, j] − m[j]) + C[j] in float32. With p = q = x, A = 0, B = γr and
  ;; C = β it is the forward pass; with p = dy, q = x the input gradient.
  (func (export "affine_rows")
    (param $p i32) (param $q i32) (param $m i32) (param $A i32) (param $B i32) (param $C i32) (param $out i32)
    (param $outer i32) (param $inner i32)
    (local $i i32) (local $j i32) (local $o i32) (local $r i32) (local $rowBytes i32) (local $end i32)
    (local.set $rowBytes (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $end (i32.shl (i32.and (local.get $inner) (i32.const -4)) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $outer)))
        (local.set $j (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $j) (local.get $end)))
            (local.set $o (i32.add (local.get $r) (local.get $j)))
            (v128.store (i32.add (local.get $out) (local.get $o))
              (f32x4.add
                (f32x4.add
                  (f32x4.mul (v128.load (i32.add (local.get $A) (local.get $j)))
                    (v128.load (i32.add (local.get $p) (local.get $o))))
                  (f32x4.mul (v128.load (i32.add (local.get $B) (local.get $j)))
                    (f32x4.sub (v128.load (i32.add (local.get $q) (local.get $o)))
                      (v128.load (i32.add (local.get $m) (local.get $j))))))
                (v128.load (i32.add (local.get $C) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $vec)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $o (i32.add (local.get $r) (local.get $j)))
            (f32.store (i32.add (local.get $out) (local.get $o))
              (f32.add
                (f32.add
                  (f32.mul (f32.load (i32.add (local.get $A) (local.get $j)))
                    (f32.load (i32.add (local.get $p) (local.get $o))))
                  (f32.mul (f32.load (i32.add (local.get $B) (local.get $j)))
                    (f32.sub (f32.load (i32.add (local.get $q) (local.get $o)))
                      (f32.load (i32.add (local.get $m) (local.get $j))))))
                (f32.load (i32.add (local.get $C) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $tail)))
        (local.set $r (i32.add (local.get $r) (local.get $rowBytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))))
