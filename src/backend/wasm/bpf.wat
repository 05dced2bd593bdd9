;; The conv weight gradient computed directly (src/backend/wasm/conv2dBackpropFilter.ts), in WebAssembly SIMD on
;; the tfjs heap. dW, as a matrix [kh·kw·ci, co], is Σ over images and output pixels of a column of x (the
;; kh·kw·ci inputs under the filter) times a row of dy. For a fixed filter row kh_i, the kw·ci inputs of a
;; pixel are consecutive floats of the (padded) input row, so four rows of dW read four consecutive floats,
;; and eight columns read eight consecutive floats of a dy row: a 4×8 tile of dW stays in eight registers
;; while the sum runs over the pixels, with no packing and no im2col. Sums run image by image, row by row,
;; pixel by pixel: the same order for any split of the tiles between threads and any chunk of images. Compiled by
;; scripts/build-wasm.js into bpfSimd.ts, once with a plain and once with a shared memory import. Pointers
;; and strides are in bytes.
(module
  (import "env" "memory" (memory 1 65536 MEMORY_SHARED))

  ;; Tiles [t0, t1) of 4 rows of dW (tile t: filter row t / groups, first of its kw·ci inputs 4·(t mod groups)),
  ;; every column. xp: [n, Hp, Wp, ci] padded input (imgX bytes per image, rowX per row); dy: [n, oh, ow, co];
  ;; dw: [kh·kw·ci, co]. stepY = sh·rowX, stepX = sw·ci·4; co is a multiple of 8, kw·ci of 4. Images go in
  ;; chunks of nb: a tile's accumulators are loaded and stored once per chunk, not once per image. dy is read
  ;; in blocks of 8 columns: pixB bytes from one pixel's block to the next, colB from one block to the next
  ;; (co·4 and 32 for dy as it is; 32 and n·oh·ow·32 for dy packed by pack_cols8).
  (func (export "bpf_tiles")
    (param $xp i32) (param $dy i32) (param $dw i32) (param $n i32) (param $imgX i32) (param $rowX i32)
    (param $oh i32) (param $ow i32) (param $co i32) (param $stepY i32) (param $stepX i32)
    (param $groups i32) (param $nb i32) (param $pixB i32) (param $colB i32) (param $t0 i32) (param $t1 i32)
    (local $i0 i32) (local $i1 i32) (local $xt i32) (local $img i32) (local $t i32) (local $c0 i32) (local $y i32) (local $x i32) (local $kh i32)
    (local $coB i32) (local $dyImg i32) (local $dyRow i32)     (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $prow i32) (local $drow i32) (local $px i32) (local $pd i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $a v128) (local $b0 v128) (local $b1 v128)
    (local.set $coB (i32.shl (local.get $co) (i32.const 2)))
    (local.set $dyRow (i32.mul (local.get $ow) (local.get $pixB)))
    (local.set $dyImg (i32.mul (local.get $oh) (local.get $dyRow)))
    (if (i32.ge_s (local.get $t0) (local.get $t1)) (then (return)))
    ;; zero this range's rows of dW: 4 rows per tile
    (memory.fill
      (i32.add (local.get $dw) (i32.mul (i32.shl (local.get $t0) (i32.const 2)) (local.get $coB)))
      (i32.const 0)
      (i32.mul (i32.shl (i32.sub (local.get $t1) (local.get $t0)) (i32.const 2)) (local.get $coB)))
    (local.set $i0 (i32.const 0))
    (loop $chunks
      ;; images [i0, i1): each tile's accumulators stay in registers over all their pixels
      (local.set $i1 (i32.add (local.get $i0) (local.get $nb)))
      (if (i32.gt_u (local.get $i1) (local.get $n)) (then (local.set $i1 (local.get $n))))
      (local.set $t (local.get $t0))
      (loop $tiles
        (local.set $kh (i32.div_u (local.get $t) (local.get $groups)))
        (local.set $xt
          (i32.add
            (local.get $xp)
            (i32.add
              (i32.mul (local.get $kh) (local.get $rowX))
              (i32.shl (i32.sub (local.get $t) (i32.mul (local.get $kh) (local.get $groups))) (i32.const 4)))))
        (local.set $r0 (i32.add (local.get $dw) (i32.mul (i32.shl (local.get $t) (i32.const 2)) (local.get $coB))))
        (local.set $r1 (i32.add (local.get $r0) (local.get $coB)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $coB)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $coB)))
        (local.set $c0 (i32.const 0))
        (loop $cols
          (local.set $c00 (v128.load (i32.add (local.get $r0) (local.get $c0))))
          (local.set $c01 (v128.load offset=16 (i32.add (local.get $r0) (local.get $c0))))
          (local.set $c10 (v128.load (i32.add (local.get $r1) (local.get $c0))))
          (local.set $c11 (v128.load offset=16 (i32.add (local.get $r1) (local.get $c0))))
          (local.set $c20 (v128.load (i32.add (local.get $r2) (local.get $c0))))
          (local.set $c21 (v128.load offset=16 (i32.add (local.get $r2) (local.get $c0))))
          (local.set $c30 (v128.load (i32.add (local.get $r3) (local.get $c0))))
          (local.set $c31 (v128.load offset=16 (i32.add (local.get $r3) (local.get $c0))))
          (local.set $img (local.get $i0))
          (loop $images
          (local.set $prow (i32.add (local.get $xt) (i32.mul (local.get $img) (local.get $imgX))))
          (local.set $drow
            (i32.add
              (i32.add (local.get $dy) (i32.mul (local.get $img) (local.get $dyImg)))
              (i32.mul (i32.shr_u (local.get $c0) (i32.const 5)) (local.get $colB))))
          (local.set $y (local.get $oh))
          (loop $rows
            (local.set $px (local.get $prow))
            (local.set $pd (local.get $drow))
            (local.set $x (local.get $ow))
            (loop $pixels
              (local.set $b0 (v128.load (local.get $pd)))
              (local.set $b1 (v128.load offset=16 (local.get $pd)))
              (local.set $a (v128.load32_splat (local.get $px)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
              (local.set $a (v128.load32_splat offset=4 (local.get $px)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
              (local.set $a (v128.load32_splat offset=8 (local.get $px)))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
              (local.set $a (v128.load32_splat offset=12 (local.get $px)))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
              (local.set $px (i32.add (local.get $px) (local.get $stepX)))
              (local.set $pd (i32.add (local.get $pd) (local.get $pixB)))
              (local.set $x (i32.sub (local.get $x) (i32.const 1)))
              (br_if $pixels (local.get $x)))
            (local.set $prow (i32.add (local.get $prow) (local.get $stepY)))
            (local.set $drow (i32.add (local.get $drow) (local.get $dyRow)))
            (local.set $y (i32.sub (local.get $y) (i32.const 1)))
            (br_if $rows (local.get $y)))
          (local.set $img (i32.add (local.get $img) (i32.const 1)))
          (br_if $images (i32.lt_u (local.get $img) (local.get $i1))))
          (v128.store (i32.add (local.get $r0) (local.get $c0)) (local.get $c00))
          (v128.store offset=16 (i32.add (local.get $r0) (local.get $c0)) (local.get $c01))
          (v128.store (i32.add (local.get $r1) (local.get $c0)) (local.get $c10))
          (v128.store offset=16 (i32.add (local.get $r1) (local.get $c0)) (local.get $c11))
          (v128.store (i32.add (local.get $r2) (local.get $c0)) (local.get $c20))
          (v128.store offset=16 (i32.add (local.get $r2) (local.get $c0)) (local.get $c21))
          (v128.store (i32.add (local.get $r3) (local.get $c0)) (local.get $c30))
          (v128.store offset=16 (i32.add (local.get $r3) (local.get $c0)) (local.get $c31))
          (local.set $c0 (i32.add (local.get $c0) (i32.const 32)))
          (br_if $cols (i32.lt_u (local.get $c0) (local.get $coB))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br_if $tiles (i32.lt_u (local.get $t) (local.get $t1))))
      (local.set $i0 (local.get $i1))
      (br_if $chunks (i32.lt_u (local.get $i0) (local.get $n)))))

  ;; dst[b][r][0..8) = src[r][8b..8b+8) for a [rows, cols] matrix (cols a multiple of 8): each block of 8
  ;; columns contiguous over the rows, so bpf_tiles reads dy sequentially.
  (func (export "pack_cols8") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $b i32) (local $ps i32) (local $pd i32) (local $rowB i32) (local $blockB i32)
    (local.set $rowB (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $blockB (i32.shl (local.get $rows) (i32.const 5)))
    (if (i32.eqz (local.get $rows)) (then (return)))
    (local.set $r (i32.const 0))
    (loop $rows
      (local.set $ps (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $rowB))))
      (local.set $pd (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 5))))
      (local.set $b (i32.shr_u (local.get $cols) (i32.const 3)))
      (loop $blocks
        (v128.store (local.get $pd) (v128.load (local.get $ps)))
        (v128.store offset=16 (local.get $pd) (v128.load offset=16 (local.get $ps)))
        (local.set $ps (i32.add (local.get $ps) (i32.const 32)))
        (local.set $pd (i32.add (local.get $pd) (local.get $blockB)))
        (local.set $b (i32.sub (local.get $b) (i32.const 1)))
        (br_if $blocks (local.get $b)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $r) (local.get $rows)))))
)
