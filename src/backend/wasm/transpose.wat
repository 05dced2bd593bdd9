;; Swap of the last two axes of 4-byte elements (src/backend/wasm/transpose.ts) in WebAssembly SIMD on the tfjs
;; heap: 4×4 blocks, loaded as four vectors from four input rows, transposed with eight shuffles and stored
;; as four vectors into four output rows; the edges (rows or columns past a multiple of 4) one element at a
;; time. A copy: the result is the stock Transpose's bit for bit. Compiled by scripts/build-wasm.js into
;; transposeSimd.ts, once with a plain and once with a shared memory import. Arguments are byte offsets on
;; the heap and element counts.
(module
  (import "env" "memory" (memory 1 65536 MEMORY_SHARED))

  ;; For each of `batch` matrices x [rows, cols] at x + b·rows·cols·4: out[b][c][r] = x[b][r][c].
  (func (export "transpose_last2")
    (param $x i32) (param $out i32) (param $batch i32) (param $rows i32) (param $cols i32)
    (local $b i32) (local $r i32) (local $c i32) (local $c0 i32) (local $cend i32) (local $r4 i32) (local $c4 i32)
    (local $xrow i32) (local $orow i32) (local $xs i32) (local $os i32) (local $plane i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    ;; row strides in bytes of x (cols) and of out (rows); plane size in bytes
    (local.set $xs (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $os (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $plane (i32.mul (local.get $xs) (local.get $rows)))
    (local.set $r4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $c4 (i32.and (local.get $cols) (i32.const -4)))
    (block $batches_done
      (loop $batches
        (br_if $batches_done (i32.ge_u (local.get $b) (local.get $batch)))
        ;; 4×4 blocks, in tiles 16 columns wide: each step down the rows reads whole 64-byte lines of x and
        ;; writes 16 output rows one after the other (output rows 4 KiB apart no longer collide in the cache)
        (local.set $c0 (i32.const 0))
        (block $tiles_done
          (loop $tiles
            (br_if $tiles_done (i32.ge_u (local.get $c0) (local.get $c4)))
            (local.set $cend (select (local.get $c4) (i32.add (local.get $c0) (i32.const 16))
              (i32.lt_u (local.get $c4) (i32.add (local.get $c0) (i32.const 16)))))
            (local.set $r (i32.const 0))
            (block $rows_done
              (loop $rows4
                (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r4)))
                (local.set $c (local.get $c0))
                (block $cols_done
                  (loop $cols4
                    (br_if $cols_done (i32.ge_u (local.get $c) (local.get $cend)))
                    ;; x[r..r+3][c..c+3]
                    (local.set $xrow
                      (i32.add (local.get $x) (i32.add (i32.mul (local.get $r) (local.get $xs))
                                                       (i32.shl (local.get $c) (i32.const 2)))))
                    (local.set $v0 (v128.load (local.get $xrow)))
                    (local.set $v1 (v128.load (i32.add (local.get $xrow) (local.get $xs))))
                    (local.set $v2 (v128.load (i32.add (local.get $xrow) (i32.shl (local.get $xs) (i32.const 1)))))
                    (local.set $v3 (v128.load (i32.add (local.get $xrow) (i32.mul (local.get $xs) (i32.const 3)))))
                    ;; [a0 b0 a1 b1], [a2 b2 a3 b3], [c0 d0 c1 d1], [c2 d2 c3 d3]
                    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1)))
                    (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1)))
                    (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3)))
                    (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3)))
                    ;; out[c..c+3][r..r+3]
                    (local.set $orow
                      (i32.add (local.get $out) (i32.add (i32.mul (local.get $c) (local.get $os))
                                                         (i32.shl (local.get $r) (i32.const 2)))))
                    (v128.store (local.get $orow)
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
                    (v128.store (i32.add (local.get $orow) (local.get $os))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
                    (v128.store (i32.add (local.get $orow) (i32.shl (local.get $os) (i32.const 1)))
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
                    (v128.store (i32.add (local.get $orow) (i32.mul (local.get $os) (i32.const 3)))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
                    (local.set $c (i32.add (local.get $c) (i32.const 4)))
                    (br $cols4)))
                (local.set $r (i32.add (local.get $r) (i32.const 4)))
                (br $rows4)))
            (local.set $c0 (local.get $cend))
            (br $tiles)))
        ;; the columns from c4 on, every row
        (local.set $r (i32.const 0))
        (block $er_done
          (loop $er
            (br_if $er_done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $c (local.get $c4))
            (block $ec_done
              (loop $ec
                (br_if $ec_done (i32.ge_u (local.get $c) (local.get $cols)))
                (i32.store
                  (i32.add (local.get $out) (i32.add (i32.mul (local.get $c) (local.get $os)) (i32.shl (local.get $r) (i32.const 2))))
                  (i32.load (i32.add (local.get $x) (i32.add (i32.mul (local.get $r) (local.get $xs)) (i32.shl (local.get $c) (i32.const 2))))))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $ec)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $er)))
        ;; the rows from r4 on, columns below c4
        (local.set $r (local.get $r4))
        (block $fr_done
          (loop $fr
            (br_if $fr_done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $c (i32.const 0))
            (block $fc_done
              (loop $fc
                (br_if $fc_done (i32.ge_u (local.get $c) (local.get $c4)))
                (i32.store
                  (i32.add (local.get $out) (i32.add (i32.mul (local.get $c) (local.get $os)) (i32.shl (local.get $r) (i32.const 2))))
                  (i32.load (i32.add (local.get $x) (i32.add (i32.mul (local.get $r) (local.get $xs)) (i32.shl (local.get $c) (i32.const 2))))))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $fc)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $fr)))
        (local.set $x (i32.add (local.get $x) (local.get $plane)))
        (local.set $out (i32.add (local.get $out) (local.get $plane)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $batches)))))
