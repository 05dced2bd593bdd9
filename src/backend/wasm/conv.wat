;; Direct convolutions in WebAssembly SIMD on the tfjs heap: bpf_tiles, the weight gradient
;; (src/backend/wasm/conv2dBackpropFilter.ts), and conv_tiles, a convolution (conv2d.ts, and each stride phase of an
;; input gradient in conv2dBackpropInput.ts). Both keep a 4×8 tile of sums in eight registers: per step four
;; splats times two vectors of eight floats, the kernel WebAssembly SIMD runs fastest on these cores (one step per
;; loop iteration: unrolled further, V8 ran it at 30 instead of 48 GFLOP/s). bpf_tiles: dW, as a matrix [kh·kw·ci, co], is Σ over images and output pixels of a column of x (the
;; kh·kw·ci inputs under the filter) times a row of dy. For a fixed filter row kh_i, the kw·ci inputs of a
;; pixel are consecutive floats of the (padded) input row, so four rows of dW read four consecutive floats,
;; and eight columns read eight consecutive floats of a dy row: a 4×8 tile of dW stays in eight registers
;; while the sum runs over the pixels, with no packing and no im2col. Sums run image by image, row by row,
;; pixel by pixel: the same order for any split of the tiles between threads and any chunk of images. Compiled by
;; scripts/build-wasm.js into convSimd.ts, once with a plain and once with a shared memory import. Pointers
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

;; conv_tiles: a direct convolution (conv2d.ts; in conv2dBackpropInput.ts each stride phase of an input gradient):
;; output pixel tiles [t0, t1) of 4 pixels × every output channel, k of them (a multiple of 8), 8 at a time. Output
;; pixel p of P = n·oh·ow (image img, row r, column q) sums, over taps (i, j) of th × tw and input channels cc of c,
;; x[base + i·dilY + j·dilX + cc·4] · W[tap (i, j)][cc][8 columns], base = x + img·imgX + r·stepY + q·stepX, and
;; the 8 sums go to y + img·imgY + r·rowY + q·pixY (+ 32 bytes per block of 8 channels). W is packed in blocks of 8
;; output channels (pack_cols8 of [taps·c, k]): block b at w + b·wBlock, tap (0, 0) at tap0 bytes into it and tap
;; (i, j) at tap0 + i·wI + j·wJ (negative strides walk a flipped kernel). Tiles go in chunks of tc: each block of W
;; runs over the chunk's tiles while it stays in cache. Each sum runs over the taps row by row, then channels: the
;; same order for any split of the tiles. Pixels past P (the last tile) repeat pixel P − 1 and store its sums again.
  (func (export "conv_tiles")
    (param $x i32) (param $w i32) (param $y i32) (param $P i32) (param $oh i32) (param $ow i32)
    (param $imgX i32) (param $stepY i32) (param $stepX i32) (param $th i32) (param $tw i32) (param $dilY i32)
    (param $dilX i32) (param $wBlock i32) (param $tap0 i32) (param $wI i32) (param $wJ i32) (param $c i32)
    (param $k i32) (param $imgY i32) (param $rowY i32) (param $pixY i32) (param $tc i32) (param $t0 i32)
    (param $t1 i32) (local $u0 i32) (local $u1 i32)
    (local $t i32) (local $l i32) (local $p i32) (local $img i32) (local $rem i32) (local $r i32) (local $q i32)
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32)
    (local $y0 i32) (local $y1 i32) (local $y2 i32) (local $y3 i32)
    (local $kb i32) (local $kEnd i32) (local $pwI i32) (local $offI i32) (local $i i32) (local $pwJ i32)
    (local $offJ i32) (local $j i32) (local $pw i32) (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $cc i32) (local $px i32) (local $yb i32) (local $wb i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $a v128) (local $b0 v128) (local $b1 v128)
    (local.set $px (i32.mul (local.get $oh) (local.get $ow)))
    (local.set $kEnd (i32.shl (local.get $k) (i32.const 2)))
    (if (i32.ge_s (local.get $t0) (local.get $t1)) (then (return)))
    (local.set $u0 (local.get $t0))
    (loop $chunks
      ;; tiles [u0, u1): every block of 8 channels over the chunk's tiles, so a block of W stays in cache
      (local.set $u1 (i32.add (local.get $u0) (local.get $tc)))
      (if (i32.gt_u (local.get $u1) (local.get $t1)) (then (local.set $u1 (local.get $t1))))
      (local.set $kb (i32.const 0))
      (local.set $wb (i32.add (local.get $w) (local.get $tap0)))
      (loop $blocks
        (local.set $t (local.get $u0))
        (loop $tiles
          ;; the tile's four pixels: input and output pointers
          (local.set $l (i32.const 0))
          (loop $lanes
            (local.set $p (i32.add (i32.shl (local.get $t) (i32.const 2)) (local.get $l)))
            (if (i32.ge_u (local.get $p) (local.get $P)) (then (local.set $p (i32.sub (local.get $P) (i32.const 1)))))
            (local.set $img (i32.div_u (local.get $p) (local.get $px)))
            (local.set $rem (i32.sub (local.get $p) (i32.mul (local.get $img) (local.get $px))))
            (local.set $r (i32.div_u (local.get $rem) (local.get $ow)))
            (local.set $q (i32.sub (local.get $rem) (i32.mul (local.get $r) (local.get $ow))))
            (local.set $a0
              (i32.add (local.get $x)
                (i32.add (i32.mul (local.get $img) (local.get $imgX))
                  (i32.add (i32.mul (local.get $r) (local.get $stepY)) (i32.mul (local.get $q) (local.get $stepX))))))
            (local.set $yb
              (i32.add (local.get $y)
                (i32.add (i32.mul (local.get $img) (local.get $imgY))
                  (i32.add (i32.mul (local.get $r) (local.get $rowY)) (i32.mul (local.get $q) (local.get $pixY))))))
            (if (i32.eqz (local.get $l)) (then (local.set $x0 (local.get $a0)) (local.set $y0 (local.get $yb))))
            (if (i32.eq (local.get $l) (i32.const 1)) (then (local.set $x1 (local.get $a0)) (local.set $y1 (local.get $yb))))
            (if (i32.eq (local.get $l) (i32.const 2)) (then (local.set $x2 (local.get $a0)) (local.set $y2 (local.get $yb))))
            (if (i32.eq (local.get $l) (i32.const 3)) (then (local.set $x3 (local.get $a0)) (local.set $y3 (local.get $yb))))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br_if $lanes (i32.lt_u (local.get $l) (i32.const 4))))
          (local.set $c00 (v128.const i32x4 0 0 0 0))
          (local.set $c01 (v128.const i32x4 0 0 0 0))
          (local.set $c10 (v128.const i32x4 0 0 0 0))
          (local.set $c11 (v128.const i32x4 0 0 0 0))
          (local.set $c20 (v128.const i32x4 0 0 0 0))
          (local.set $c21 (v128.const i32x4 0 0 0 0))
          (local.set $c30 (v128.const i32x4 0 0 0 0))
          (local.set $c31 (v128.const i32x4 0 0 0 0))
          (local.set $pwI (local.get $wb))
          (local.set $offI (i32.const 0))
          (local.set $i (local.get $th))
          (loop $tapRows
            (local.set $pwJ (local.get $pwI))
            (local.set $offJ (local.get $offI))
            (local.set $j (local.get $tw))
            (loop $tapCols
              (local.set $pw (local.get $pwJ))
              (local.set $a0 (i32.add (local.get $x0) (local.get $offJ)))
              (local.set $a1 (i32.add (local.get $x1) (local.get $offJ)))
              (local.set $a2 (i32.add (local.get $x2) (local.get $offJ)))
              (local.set $a3 (i32.add (local.get $x3) (local.get $offJ)))
              (local.set $cc (local.get $c))
              (loop $chans
                (local.set $b0 (v128.load (local.get $pw)))
                (local.set $b1 (v128.load offset=16 (local.get $pw)))
                (local.set $a (v128.load32_splat (local.get $a0)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
                (local.set $a (v128.load32_splat (local.get $a1)))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
                (local.set $a (v128.load32_splat (local.get $a2)))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
                (local.set $a (v128.load32_splat (local.get $a3)))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
                (local.set $pw (i32.add (local.get $pw) (i32.const 32)))
                (local.set $a0 (i32.add (local.get $a0) (i32.const 4)))
                (local.set $a1 (i32.add (local.get $a1) (i32.const 4)))
                (local.set $a2 (i32.add (local.get $a2) (i32.const 4)))
                (local.set $a3 (i32.add (local.get $a3) (i32.const 4)))
                (local.set $cc (i32.sub (local.get $cc) (i32.const 1)))
                (br_if $chans (local.get $cc)))
              (local.set $pwJ (i32.add (local.get $pwJ) (local.get $wJ)))
              (local.set $offJ (i32.add (local.get $offJ) (local.get $dilX)))
              (local.set $j (i32.sub (local.get $j) (i32.const 1)))
              (br_if $tapCols (local.get $j)))
            (local.set $pwI (i32.add (local.get $pwI) (local.get $wI)))
            (local.set $offI (i32.add (local.get $offI) (local.get $dilY)))
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (br_if $tapRows (local.get $i)))
          (v128.store (i32.add (local.get $y0) (local.get $kb)) (local.get $c00))
          (v128.store offset=16 (i32.add (local.get $y0) (local.get $kb)) (local.get $c01))
          (v128.store (i32.add (local.get $y1) (local.get $kb)) (local.get $c10))
          (v128.store offset=16 (i32.add (local.get $y1) (local.get $kb)) (local.get $c11))
          (v128.store (i32.add (local.get $y2) (local.get $kb)) (local.get $c20))
          (v128.store offset=16 (i32.add (local.get $y2) (local.get $kb)) (local.get $c21))
          (v128.store (i32.add (local.get $y3) (local.get $kb)) (local.get $c30))
          (v128.store offset=16 (i32.add (local.get $y3) (local.get $kb)) (local.get $c31))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $tiles (i32.lt_u (local.get $t) (local.get $u1))))
        (local.set $wb (i32.add (local.get $wb) (local.get $wBlock)))
        (local.set $kb (i32.add (local.get $kb) (i32.const 32)))
        (br_if $blocks (i32.lt_u (local.get $kb) (local.get $kEnd))))
      (local.set $u0 (local.get $u1))
      (br_if $chunks (i32.lt_u (local.get $u0) (local.get $t1)))))

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
