;; The cycle search's M³ kernels in WebAssembly SIMD (assembled by scripts/make-kernels.mjs into
;; kernelsWasm.ts). Each computes exactly what its plain loop in kernels.ts computes, with the
;; same operations on each element in the same order (f64x2 lanes are two independent doubles,
;; and there is no fused multiply-add), so results are bitwise the same. All addresses are byte
;; offsets into the memory; matrices are row-major M×M doubles.
(module
  (memory (export "memory") 1)

  ;; dst[0..n) = a · src[0..n)
  (func $scale (param $dst i32) (param $src i32) (param $n i32) (param $a f64)
    (local $b i32) (local $end i32) (local $even i32) (local $va v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $even (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $va (f64x2.splat (local.get $a)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $b) (local.get $even)))
        (v128.store (i32.add (local.get $dst) (local.get $b))
          (f64x2.mul (local.get $va) (v128.load (i32.add (local.get $src) (local.get $b)))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $next)))
    (if (i32.lt_u (local.get $b) (local.get $end))
      (then
        (f64.store (i32.add (local.get $dst) (local.get $b))
          (f64.mul (local.get $a) (f64.load (i32.add (local.get $src) (local.get $b))))))))

  ;; dst[0..n) = dst + (a·x + b·y), element by element
  (func $addTwo (param $dst i32) (param $x i32) (param $y i32) (param $n i32) (param $a f64) (param $c f64)
    (local $b i32) (local $end i32) (local $even i32) (local $va v128) (local $vc v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $even (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $va (f64x2.splat (local.get $a)))
    (local.set $vc (f64x2.splat (local.get $c)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $b) (local.get $even)))
        (v128.store (i32.add (local.get $dst) (local.get $b))
          (f64x2.add
            (v128.load (i32.add (local.get $dst) (local.get $b)))
            (f64x2.add
              (f64x2.mul (local.get $va) (v128.load (i32.add (local.get $x) (local.get $b))))
              (f64x2.mul (local.get $vc) (v128.load (i32.add (local.get $y) (local.get $b)))))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $next)))
    (if (i32.lt_u (local.get $b) (local.get $end))
      (then
        (f64.store (i32.add (local.get $dst) (local.get $b))
          (f64.add
            (f64.load (i32.add (local.get $dst) (local.get $b)))
            (f64.add
              (f64.mul (local.get $a) (f64.load (i32.add (local.get $x) (local.get $b))))
              (f64.mul (local.get $c) (f64.load (i32.add (local.get $y) (local.get $b))))))))))

  ;; dst[0..n) = dst + a·x
  (func $addOne (param $dst i32) (param $x i32) (param $n i32) (param $a f64)
    (local $b i32) (local $end i32) (local $even i32) (local $va v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $even (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $va (f64x2.splat (local.get $a)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $b) (local.get $even)))
        (v128.store (i32.add (local.get $dst) (local.get $b))
          (f64x2.add
            (v128.load (i32.add (local.get $dst) (local.get $b)))
            (f64x2.mul (local.get $va) (v128.load (i32.add (local.get $x) (local.get $b))))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $next)))
    (if (i32.lt_u (local.get $b) (local.get $end))
      (then
        (f64.store (i32.add (local.get $dst) (local.get $b))
          (f64.add
            (f64.load (i32.add (local.get $dst) (local.get $b)))
            (f64.mul (local.get $a) (f64.load (i32.add (local.get $x) (local.get $b)))))))))

  ;; dst[0..n) = dst − a·x
  (func $subOne (param $dst i32) (param $x i32) (param $n i32) (param $a f64)
    (local $b i32) (local $end i32) (local $even i32) (local $va v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $even (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $va (f64x2.splat (local.get $a)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $b) (local.get $even)))
        (v128.store (i32.add (local.get $dst) (local.get $b))
          (f64x2.sub
            (v128.load (i32.add (local.get $dst) (local.get $b)))
            (f64x2.mul (local.get $va) (v128.load (i32.add (local.get $x) (local.get $b))))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $next)))
    (if (i32.lt_u (local.get $b) (local.get $end))
      (then
        (f64.store (i32.add (local.get $dst) (local.get $b))
          (f64.sub
            (f64.load (i32.add (local.get $dst) (local.get $b)))
            (f64.mul (local.get $a) (f64.load (i32.add (local.get $x) (local.get $b)))))))))

  ;; One step of a k-step product when every switch reads one coordinate (kernels.ts stepSelected):
  ;; out row i = a_i · P row i + Σ over the active switches h (two at a time) of B[i,h] · P row sel[h].
  (func (export "stepSelected") (param $out i32) (param $P i32) (param $M i32) (param $H i32)
      (param $diag i32) (param $B i32) (param $active i32) (param $nActive i32) (param $sel i32)
    (local $i i32) (local $t i32) (local $row i32) (local $bRow i32) (local $h1 i32) (local $h2 i32)
    (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $M) (i32.const 3)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $M)))
        (local.set $row (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $rowBytes))))
        (call $scale (local.get $row) (i32.add (local.get $P) (i32.mul (local.get $i) (local.get $rowBytes))) (local.get $M)
          (f64.load (i32.add (local.get $diag) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $bRow (i32.add (local.get $B) (i32.shl (i32.mul (local.get $i) (local.get $H)) (i32.const 3))))
        (local.set $t (i32.const 0))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.ge_s (i32.add (local.get $t) (i32.const 1)) (local.get $nActive)))
            (local.set $h1 (i32.load (i32.add (local.get $active) (i32.shl (local.get $t) (i32.const 2)))))
            (local.set $h2 (i32.load (i32.add (local.get $active) (i32.shl (i32.add (local.get $t) (i32.const 1)) (i32.const 2)))))
            (call $addTwo (local.get $row)
              (i32.add (local.get $P) (i32.mul (i32.load (i32.add (local.get $sel) (i32.shl (local.get $h1) (i32.const 2)))) (local.get $rowBytes)))
              (i32.add (local.get $P) (i32.mul (i32.load (i32.add (local.get $sel) (i32.shl (local.get $h2) (i32.const 2)))) (local.get $rowBytes)))
              (local.get $M)
              (f64.load (i32.add (local.get $bRow) (i32.shl (local.get $h1) (i32.const 3))))
              (f64.load (i32.add (local.get $bRow) (i32.shl (local.get $h2) (i32.const 3)))))
            (local.set $t (i32.add (local.get $t) (i32.const 2)))
            (br $pairs)))
        (if (i32.lt_s (local.get $t) (local.get $nActive))
          (then
            (local.set $h1 (i32.load (i32.add (local.get $active) (i32.shl (local.get $t) (i32.const 2)))))
            (call $addOne (local.get $row)
              (i32.add (local.get $P) (i32.mul (i32.load (i32.add (local.get $sel) (i32.shl (local.get $h1) (i32.const 2)))) (local.get $rowBytes)))
              (local.get $M)
              (f64.load (i32.add (local.get $bRow) (i32.shl (local.get $h1) (i32.const 3)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; out = J · P (kernels.ts multiplyRows): out row i starts at 0 and gains J[i,l] · P row l for
  ;; l ascending, skipping the zero entries of J.
  (func (export "multiplyRows") (param $out i32) (param $J i32) (param $P i32) (param $M i32)
    (local $i i32) (local $l i32) (local $row i32) (local $jRow i32) (local $rowBytes i32) (local $b i32) (local $jil f64)
    (local.set $rowBytes (i32.shl (local.get $M) (i32.const 3)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $M)))
        (local.set $row (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $jRow (i32.add (local.get $J) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $b (i32.const 0))
        (block $zeroDone
          (loop $zero
            (br_if $zeroDone (i32.ge_u (local.get $b) (local.get $rowBytes)))
            (f64.store (i32.add (local.get $row) (local.get $b)) (f64.const 0))
            (local.set $b (i32.add (local.get $b) (i32.const 8)))
            (br $zero)))
        (local.set $l (i32.const 0))
        (block $termsDone
          (loop $terms
            (br_if $termsDone (i32.ge_u (local.get $l) (local.get $M)))
            (local.set $jil (f64.load (i32.add (local.get $jRow) (i32.shl (local.get $l) (i32.const 3)))))
            (if (f64.ne (local.get $jil) (f64.const 0))
              (then
                (call $addOne (local.get $row) (i32.add (local.get $P) (i32.mul (local.get $l) (local.get $rowBytes))) (local.get $M) (local.get $jil))))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br $terms)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; The sums over H switches of a general map (shPLRNN): u = S z + s0, z' += B[:, d] u_d, and the
  ;; affine piece [J_d | b_d] of a region, each lane adding its terms in the plain loop's order.

  ;; dst[0..n) = src[0..n)
  (func $copy (param $dst i32) (param $src i32) (param $n i32)
    (local $b i32) (local $end i32) (local $even i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $even (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $b) (local.get $even)))
        (v128.store (i32.add (local.get $dst) (local.get $b)) (v128.load (i32.add (local.get $src) (local.get $b))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $next)))
    (if (i32.lt_u (local.get $b) (local.get $end))
      (then (f64.store (i32.add (local.get $dst) (local.get $b)) (f64.load (i32.add (local.get $src) (local.get $b)))))))

  ;; out[h] = ST[M][h] + ST[0][h]·z[0] + ST[1][h]·z[1] + … for h < H (kernels.ts affineRows):
  ;; ST is (M+1)×H, S transposed with s0 as its last row; two switches per pass.
  (func (export "affineRows") (param $out i32) (param $ST i32) (param $H i32) (param $M i32) (param $z i32)
    (if (i32.le_u (local.get $M) (i32.const 4))
      (then
        (call $affineRowsSmall (local.get $out) (local.get $ST) (local.get $H) (local.get $M) (local.get $z))
        (return)))
    (call $affineRowsAny (local.get $out) (local.get $ST) (local.get $H) (local.get $M) (local.get $z)))

  ;; affineRows for any M: the terms of a pair of switches in a loop over m.
  (func $affineRowsAny (param $out i32) (param $ST i32) (param $H i32) (param $M i32) (param $z i32)
    (local $b i32) (local $end i32) (local $even i32) (local $rowBytes i32) (local $s0 i32)
    (local $m i32) (local $p i32) (local $v v128) (local $w f64)
    (local $eights i32) (local $zm v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $rowBytes (i32.shl (local.get $H) (i32.const 3)))
    (local.set $end (local.get $rowBytes))
    (local.set $even (i32.shl (i32.and (local.get $H) (i32.const -2)) (i32.const 3)))
    (local.set $eights (i32.shl (i32.and (local.get $H) (i32.const -8)) (i32.const 3)))
    (local.set $s0 (i32.add (local.get $ST) (i32.mul (local.get $M) (local.get $rowBytes))))
    ;; Eight switches per pass first: z[m] splatted once per four lane pairs.
    (block $eightsDone
      (loop $eightsNext
        (br_if $eightsDone (i32.ge_u (local.get $b) (local.get $eights)))
        (local.set $p (i32.add (local.get $s0) (local.get $b)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $v1 (v128.load offset=16 (local.get $p)))
        (local.set $v2 (v128.load offset=32 (local.get $p)))
        (local.set $v3 (v128.load offset=48 (local.get $p)))
        (local.set $p (i32.add (local.get $ST) (local.get $b)))
        (local.set $m (i32.const 0))
        (block $eightTermsDone
          (loop $eightTerms
            (br_if $eightTermsDone (i32.ge_u (local.get $m) (local.get $M)))
            (local.set $zm (v128.load64_splat (i32.add (local.get $z) (i32.shl (local.get $m) (i32.const 3)))))
            (local.set $v (f64x2.add (local.get $v) (f64x2.mul (v128.load (local.get $p)) (local.get $zm))))
            (local.set $v1 (f64x2.add (local.get $v1) (f64x2.mul (v128.load offset=16 (local.get $p)) (local.get $zm))))
            (local.set $v2 (f64x2.add (local.get $v2) (f64x2.mul (v128.load offset=32 (local.get $p)) (local.get $zm))))
            (local.set $v3 (f64x2.add (local.get $v3) (f64x2.mul (v128.load offset=48 (local.get $p)) (local.get $zm))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $m (i32.add (local.get $m) (i32.const 1)))
            (br $eightTerms)))
        (local.set $p (i32.add (local.get $out) (local.get $b)))
        (v128.store (local.get $p) (local.get $v))
        (v128.store offset=16 (local.get $p) (local.get $v1))
        (v128.store offset=32 (local.get $p) (local.get $v2))
        (v128.store offset=48 (local.get $p) (local.get $v3))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (br $eightsNext)))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $b) (local.get $even)))
        (local.set $v (v128.load (i32.add (local.get $s0) (local.get $b))))
        (local.set $p (i32.add (local.get $ST) (local.get $b)))
        (local.set $m (i32.const 0))
        (block $termsDone
          (loop $terms
            (br_if $termsDone (i32.ge_u (local.get $m) (local.get $M)))
            (local.set $v (f64x2.add (local.get $v)
              (f64x2.mul (v128.load (local.get $p)) (f64x2.splat (f64.load (i32.add (local.get $z) (i32.shl (local.get $m) (i32.const 3))))))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $m (i32.add (local.get $m) (i32.const 1)))
            (br $terms)))
        (v128.store (i32.add (local.get $out) (local.get $b)) (local.get $v))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $pairs)))
    (if (i32.lt_u (local.get $b) (local.get $end))
      (then
        (local.set $w (f64.load (i32.add (local.get $s0) (local.get $b))))
        (local.set $p (i32.add (local.get $ST) (local.get $b)))
        (local.set $m (i32.const 0))
        (block $lastDone
          (loop $last
            (br_if $lastDone (i32.ge_u (local.get $m) (local.get $M)))
            (local.set $w (f64.add (local.get $w)
              (f64.mul (f64.load (local.get $p)) (f64.load (i32.add (local.get $z) (i32.shl (local.get $m) (i32.const 3)))))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $m (i32.add (local.get $m) (i32.const 1)))
            (br $last)))
        (f64.store (i32.add (local.get $out) (local.get $b)) (local.get $w)))))

  ;; out[0..M) += x[h_t] · Bt row h_t for t < count, h_t = idx[t] (kernels.ts gatherAdd): Bt is
  ;; H×M, B transposed.
  (func (export "gatherAdd") (param $out i32) (param $x i32) (param $Bt i32) (param $M i32) (param $idx i32) (param $count i32)
    (if (i32.le_u (local.get $M) (i32.const 4))
      (then
        (call $gatherAddSmall (local.get $out) (local.get $x) (local.get $Bt) (local.get $M) (local.get $idx) (local.get $count))
        (return)))
    (call $gatherAddAny (local.get $out) (local.get $x) (local.get $Bt) (local.get $M) (local.get $idx) (local.get $count)))

  ;; gatherAdd for any M, out in memory.
  (func $gatherAddAny (param $out i32) (param $x i32) (param $Bt i32) (param $M i32) (param $idx i32) (param $count i32)
    (local $t i32) (local $h i32) (local $rowBytes i32) (local $even i32) (local $src i32) (local $k i32) (local $a f64) (local $va v128)
    (local.set $rowBytes (i32.shl (local.get $M) (i32.const 3)))
    (local.set $even (i32.shl (i32.and (local.get $M) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $t) (local.get $count)))
        (local.set $h (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))))
        (local.set $src (i32.add (local.get $Bt) (i32.mul (local.get $h) (local.get $rowBytes))))
        (local.set $a (f64.load (i32.add (local.get $x) (i32.shl (local.get $h) (i32.const 3)))))
        (local.set $va (f64x2.splat (local.get $a)))
        (local.set $k (i32.const 0))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.ge_u (local.get $k) (local.get $even)))
            (v128.store (i32.add (local.get $out) (local.get $k))
              (f64x2.add
                (v128.load (i32.add (local.get $out) (local.get $k)))
                (f64x2.mul (local.get $va) (v128.load (i32.add (local.get $src) (local.get $k))))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $pairs)))
        (if (i32.lt_u (local.get $k) (local.get $rowBytes))
          (then
            (f64.store (i32.add (local.get $out) (local.get $k))
              (f64.add
                (f64.load (i32.add (local.get $out) (local.get $k)))
                (f64.mul (local.get $a) (f64.load (i32.add (local.get $src) (local.get $k))))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $next))))

  ;; affineRows for M ≤ 4: z's entries splatted once, the M terms of a pair of switches unrolled.
  (func $affineRowsSmall (param $out i32) (param $ST i32) (param $H i32) (param $M i32) (param $z i32)
    (local $b i32) (local $end i32) (local $even i32) (local $rowBytes i32) (local $s0 i32) (local $v v128) (local $w f64)
    (local $z0 v128) (local $z1 v128) (local $z2 v128) (local $z3 v128) (local $p i32)
    (local.set $rowBytes (i32.shl (local.get $H) (i32.const 3)))
    (local.set $end (local.get $rowBytes))
    (local.set $even (i32.shl (i32.and (local.get $H) (i32.const -2)) (i32.const 3)))
    (local.set $s0 (i32.add (local.get $ST) (i32.mul (local.get $M) (local.get $rowBytes))))
    (local.set $z0 (v128.load64_splat (local.get $z)))
    (if (i32.ge_u (local.get $M) (i32.const 2)) (then (local.set $z1 (v128.load64_splat offset=8 (local.get $z)))))
    (if (i32.ge_u (local.get $M) (i32.const 3)) (then (local.set $z2 (v128.load64_splat offset=16 (local.get $z)))))
    (if (i32.ge_u (local.get $M) (i32.const 4)) (then (local.set $z3 (v128.load64_splat offset=24 (local.get $z)))))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $b) (local.get $even)))
        (local.set $p (i32.add (local.get $ST) (local.get $b)))
        (local.set $v (f64x2.add (v128.load (i32.add (local.get $s0) (local.get $b))) (f64x2.mul (v128.load (local.get $p)) (local.get $z0))))
        (if (i32.ge_u (local.get $M) (i32.const 2))
          (then
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $v (f64x2.add (local.get $v) (f64x2.mul (v128.load (local.get $p)) (local.get $z1))))
            (if (i32.ge_u (local.get $M) (i32.const 3))
              (then
                (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
                (local.set $v (f64x2.add (local.get $v) (f64x2.mul (v128.load (local.get $p)) (local.get $z2))))
                (if (i32.ge_u (local.get $M) (i32.const 4))
                  (then
                    (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
                    (local.set $v (f64x2.add (local.get $v) (f64x2.mul (v128.load (local.get $p)) (local.get $z3))))))))))
        (v128.store (i32.add (local.get $out) (local.get $b)) (local.get $v))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $pairs)))
    ;; An odd last switch, the same terms in the same order.
    (if (i32.lt_u (local.get $b) (local.get $end))
      (then
        (local.set $p (i32.add (local.get $ST) (local.get $b)))
        (local.set $w (f64.add (f64.load (i32.add (local.get $s0) (local.get $b))) (f64.mul (f64.load (local.get $p)) (f64x2.extract_lane 0 (local.get $z0)))))
        (if (i32.ge_u (local.get $M) (i32.const 2))
          (then
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $w (f64.add (local.get $w) (f64.mul (f64.load (local.get $p)) (f64x2.extract_lane 0 (local.get $z1)))))))
        (if (i32.ge_u (local.get $M) (i32.const 3))
          (then
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $w (f64.add (local.get $w) (f64.mul (f64.load (local.get $p)) (f64x2.extract_lane 0 (local.get $z2)))))))
        (if (i32.ge_u (local.get $M) (i32.const 4))
          (then
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (local.set $w (f64.add (local.get $w) (f64.mul (f64.load (local.get $p)) (f64x2.extract_lane 0 (local.get $z3)))))))
        (f64.store (i32.add (local.get $out) (local.get $b)) (local.get $w)))))

  ;; gatherAdd for M ≤ 4: out's entries in two locals, lanes (0, 1) and (2, 3). Loads may read
  ;; up to 24 bytes past a row of Bt or out (KernelArena leaves slack); those lanes are not stored.
  (func $gatherAddSmall (param $out i32) (param $x i32) (param $Bt i32) (param $M i32) (param $idx i32) (param $count i32)
    (local $t i32) (local $src i32) (local $rowBytes i32) (local $va v128) (local $a v128) (local $b v128)
    (local.set $rowBytes (i32.shl (local.get $M) (i32.const 3)))
    (local.set $a (v128.load (local.get $out)))
    (local.set $b (v128.load offset=16 (local.get $out)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $t) (local.get $count)))
        (local.set $src (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))))
        (local.set $va (v128.load64_splat (i32.add (local.get $x) (i32.shl (local.get $src) (i32.const 3)))))
        (local.set $src (i32.add (local.get $Bt) (i32.mul (local.get $src) (local.get $rowBytes))))
        (local.set $a (f64x2.add (local.get $a) (f64x2.mul (local.get $va) (v128.load (local.get $src)))))
        (if (i32.gt_u (local.get $M) (i32.const 2))
          (then (local.set $b (f64x2.add (local.get $b) (f64x2.mul (local.get $va) (v128.load offset=16 (local.get $src)))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $next)))
    (if (i32.eq (local.get $M) (i32.const 1)) (then (f64.store (local.get $out) (f64x2.extract_lane 0 (local.get $a)))))
    (if (i32.ge_u (local.get $M) (i32.const 2)) (then (v128.store (local.get $out) (local.get $a))))
    (if (i32.eq (local.get $M) (i32.const 3)) (then (f64.store offset=16 (local.get $out) (f64x2.extract_lane 0 (local.get $b)))))
    (if (i32.eq (local.get $M) (i32.const 4)) (then (v128.store offset=16 (local.get $out) (local.get $b)))))

  ;; The affine piece of a region (kernels.ts formRegion): row i of the M×(M+1) matrix out is row
  ;; i of init plus B[i,h_t] · Sc row h_t for t < nActive, h_t = active[t], skipping B[i,h_t] = 0;
  ;; Sc is H×(M+1), row h = [S row h, s0[h]], so out = [J_d | b_d] when init = [A | c]; B[i,h] is
  ;; read from Bt (H×M). Both versions keep the sums in registers and add each element's terms in
  ;; t order, as the plain loop does; neither makes a call per term.
  (func (export "formRegion") (param $out i32) (param $init i32) (param $Bt i32) (param $Sc i32) (param $M i32)
      (param $active i32) (param $nActive i32)
    (if (i32.le_u (local.get $M) (i32.const 3))
      (then
        (call $formRegionSmall (local.get $out) (local.get $init) (local.get $Bt) (local.get $Sc) (local.get $M) (local.get $active) (local.get $nActive))
        (return)))
    (call $formRegionRows (local.get $out) (local.get $init) (local.get $Bt) (local.get $Sc) (local.get $M) (local.get $active) (local.get $nActive)))

  ;; formRegion for any M: row by row, eight columns at a time (four lanes pairs in locals; four
  ;; when fewer are left), the switches in the innermost loop, so the sums stay in registers and
  ;; each switch costs one load of B[i,h] and of its Sc row's columns. Loads may read up to 56
  ;; bytes past a row (KernelArena leaves slack after its last buffer); those lanes are not stored.
  (func $formRegionRows (param $out i32) (param $init i32) (param $Bt i32) (param $Sc i32) (param $M i32)
      (param $active i32) (param $nActive i32)
    (local $t i32) (local $i i32) (local $h i32) (local $src i32) (local $c0 i32) (local $n i32) (local $cols i32)
    (local $colBytes i32) (local $row i32) (local $initRow i32) (local $bOff i32) (local $b f64) (local $vb v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $cols (i32.add (local.get $M) (i32.const 1)))
    (local.set $colBytes (i32.shl (local.get $cols) (i32.const 3)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $M)))
        (local.set $bOff (i32.add (local.get $Bt) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $c0 (i32.const 0))
        (block $chunksDone
          (loop $chunks
            (br_if $chunksDone (i32.ge_u (local.get $c0) (local.get $cols)))
            (local.set $n (i32.sub (local.get $cols) (local.get $c0)))
            (local.set $row (i32.add (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $colBytes))) (i32.shl (local.get $c0) (i32.const 3))))
            (local.set $initRow (i32.add (i32.add (local.get $init) (i32.mul (local.get $i) (local.get $colBytes))) (i32.shl (local.get $c0) (i32.const 3))))
            (local.set $a0 (v128.load (local.get $initRow)))
            (local.set $a1 (v128.load offset=16 (local.get $initRow)))
            (local.set $a2 (v128.load offset=32 (local.get $initRow)))
            (local.set $a3 (v128.load offset=48 (local.get $initRow)))
            (local.set $t (i32.const 0))
            (if (i32.gt_u (local.get $n) (i32.const 4))
              (then
                (block $wideDone
                  (loop $wide
                    (br_if $wideDone (i32.ge_s (local.get $t) (local.get $nActive)))
                    (local.set $h (i32.load (i32.add (local.get $active) (i32.shl (local.get $t) (i32.const 2)))))
                    (local.set $b (f64.load (i32.add (local.get $bOff) (i32.shl (i32.mul (local.get $h) (local.get $M)) (i32.const 3)))))
                    (if (f64.ne (local.get $b) (f64.const 0))
                      (then
                        (local.set $vb (f64x2.splat (local.get $b)))
                        (local.set $src (i32.add (i32.add (local.get $Sc) (i32.mul (local.get $h) (local.get $colBytes))) (i32.shl (local.get $c0) (i32.const 3))))
                        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $vb) (v128.load (local.get $src)))))
                        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $vb) (v128.load offset=16 (local.get $src)))))
                        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $vb) (v128.load offset=32 (local.get $src)))))
                        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $vb) (v128.load offset=48 (local.get $src)))))))
                    (local.set $t (i32.add (local.get $t) (i32.const 1)))
                    (br $wide))))
              (else
                (block $narrowDone
                  (loop $narrow
                    (br_if $narrowDone (i32.ge_s (local.get $t) (local.get $nActive)))
                    (local.set $h (i32.load (i32.add (local.get $active) (i32.shl (local.get $t) (i32.const 2)))))
                    (local.set $b (f64.load (i32.add (local.get $bOff) (i32.shl (i32.mul (local.get $h) (local.get $M)) (i32.const 3)))))
                    (if (f64.ne (local.get $b) (f64.const 0))
                      (then
                        (local.set $vb (f64x2.splat (local.get $b)))
                        (local.set $src (i32.add (i32.add (local.get $Sc) (i32.mul (local.get $h) (local.get $colBytes))) (i32.shl (local.get $c0) (i32.const 3))))
                        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $vb) (v128.load (local.get $src)))))
                        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $vb) (v128.load offset=16 (local.get $src)))))))
                    (local.set $t (i32.add (local.get $t) (i32.const 1)))
                    (br $narrow)))))
            (if (i32.gt_u (local.get $n) (i32.const 8)) (then (local.set $n (i32.const 8))))
            (call $storeLanes (local.get $row) (local.get $n) (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3))
            (local.set $c0 (i32.add (local.get $c0) (i32.const 8)))
            (br $chunks)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; The first n (1 to 8) doubles of lanes a0, a1, a2, a3 at dst.
  (func $storeLanes (param $dst i32) (param $n i32) (param $a0 v128) (param $a1 v128) (param $a2 v128) (param $a3 v128)
    (if (i32.ge_u (local.get $n) (i32.const 2)) (then (v128.store (local.get $dst) (local.get $a0)))
      (else (f64.store (local.get $dst) (f64x2.extract_lane 0 (local.get $a0)))))
    (if (i32.ge_u (local.get $n) (i32.const 4)) (then (v128.store offset=16 (local.get $dst) (local.get $a1)))
      (else (if (i32.eq (local.get $n) (i32.const 3)) (then (f64.store offset=16 (local.get $dst) (f64x2.extract_lane 0 (local.get $a1)))))))
    (if (i32.ge_u (local.get $n) (i32.const 6)) (then (v128.store offset=32 (local.get $dst) (local.get $a2)))
      (else (if (i32.eq (local.get $n) (i32.const 5)) (then (f64.store offset=32 (local.get $dst) (f64x2.extract_lane 0 (local.get $a2)))))))
    (if (i32.eq (local.get $n) (i32.const 8)) (then (v128.store offset=48 (local.get $dst) (local.get $a3)))
      (else (if (i32.eq (local.get $n) (i32.const 7)) (then (f64.store offset=48 (local.get $dst) (f64x2.extract_lane 0 (local.get $a3))))))))

  ;; formRegion for M ≤ 3 (shPLRNNs of 3-D systems with hundreds of hidden units): the M rows of
  ;; at most 4 columns stay in locals, lanes (0, 1) and (2, 3), so each switch costs two loads of
  ;; its Sc row and, per row, one multiply and one add per lane pair. Loads may read up to 16
  ;; bytes past a row (KernelArena leaves slack after its last buffer); those lanes are never stored.
  (func $formRegionSmall (param $out i32) (param $init i32) (param $Bt i32) (param $Sc i32) (param $M i32)
      (param $active i32) (param $nActive i32)
    (local $t i32) (local $h i32) (local $src i32) (local $bCol i32) (local $colBytes i32) (local $b f64) (local $vb v128)
    (local $sa v128) (local $sb v128) (local $r0a v128) (local $r0b v128) (local $r1a v128) (local $r1b v128) (local $r2a v128) (local $r2b v128)
    (local.set $colBytes (i32.shl (i32.add (local.get $M) (i32.const 1)) (i32.const 3)))
    (local.set $r0a (v128.load (local.get $init)))
    (local.set $r0b (v128.load offset=16 (local.get $init)))
    (if (i32.ge_u (local.get $M) (i32.const 2))
      (then
        (local.set $r1a (v128.load (i32.add (local.get $init) (local.get $colBytes))))
        (local.set $r1b (v128.load offset=16 (i32.add (local.get $init) (local.get $colBytes))))))
    (if (i32.ge_u (local.get $M) (i32.const 3))
      (then
        (local.set $r2a (v128.load (i32.add (local.get $init) (i32.shl (local.get $colBytes) (i32.const 1)))))
        (local.set $r2b (v128.load offset=16 (i32.add (local.get $init) (i32.shl (local.get $colBytes) (i32.const 1)))))))
    (block $termsDone
      (loop $terms
        (br_if $termsDone (i32.ge_s (local.get $t) (local.get $nActive)))
        (local.set $h (i32.load (i32.add (local.get $active) (i32.shl (local.get $t) (i32.const 2)))))
        (local.set $src (i32.add (local.get $Sc) (i32.mul (local.get $h) (local.get $colBytes))))
        (local.set $sa (v128.load (local.get $src)))
        (local.set $sb (v128.load offset=16 (local.get $src)))
        (local.set $bCol (i32.add (local.get $Bt) (i32.shl (i32.mul (local.get $h) (local.get $M)) (i32.const 3))))
        (local.set $b (f64.load (local.get $bCol)))
        (if (f64.ne (local.get $b) (f64.const 0))
          (then
            (local.set $vb (f64x2.splat (local.get $b)))
            (local.set $r0a (f64x2.add (local.get $r0a) (f64x2.mul (local.get $vb) (local.get $sa))))
            (local.set $r0b (f64x2.add (local.get $r0b) (f64x2.mul (local.get $vb) (local.get $sb))))))
        (if (i32.ge_u (local.get $M) (i32.const 2))
          (then
            (local.set $b (f64.load offset=8 (local.get $bCol)))
            (if (f64.ne (local.get $b) (f64.const 0))
              (then
                (local.set $vb (f64x2.splat (local.get $b)))
                (local.set $r1a (f64x2.add (local.get $r1a) (f64x2.mul (local.get $vb) (local.get $sa))))
                (local.set $r1b (f64x2.add (local.get $r1b) (f64x2.mul (local.get $vb) (local.get $sb))))))))
        (if (i32.ge_u (local.get $M) (i32.const 3))
          (then
            (local.set $b (f64.load offset=16 (local.get $bCol)))
            (if (f64.ne (local.get $b) (f64.const 0))
              (then
                (local.set $vb (f64x2.splat (local.get $b)))
                (local.set $r2a (f64x2.add (local.get $r2a) (f64x2.mul (local.get $vb) (local.get $sa))))
                (local.set $r2b (f64x2.add (local.get $r2b) (f64x2.mul (local.get $vb) (local.get $sb))))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $terms)))
    ;; Rows of M + 1 columns: M = 1 stores lanes 0–1, M = 2 lanes 0–2, M = 3 lanes 0–3.
    (call $storeSmallRow (local.get $out) (local.get $M) (local.get $r0a) (local.get $r0b))
    (if (i32.ge_u (local.get $M) (i32.const 2))
      (then (call $storeSmallRow (i32.add (local.get $out) (local.get $colBytes)) (local.get $M) (local.get $r1a) (local.get $r1b))))
    (if (i32.ge_u (local.get $M) (i32.const 3))
      (then (call $storeSmallRow (i32.add (local.get $out) (i32.shl (local.get $colBytes) (i32.const 1))) (local.get $M) (local.get $r2a) (local.get $r2b)))))

  ;; The first M + 1 (2 to 4) doubles of lanes a, b at dst.
  (func $storeSmallRow (param $dst i32) (param $M i32) (param $a v128) (param $b v128)
    (v128.store (local.get $dst) (local.get $a))
    (if (i32.eq (local.get $M) (i32.const 2)) (then (f64.store offset=16 (local.get $dst) (f64x2.extract_lane 0 (local.get $b)))))
    (if (i32.eq (local.get $M) (i32.const 3)) (then (v128.store offset=16 (local.get $dst) (local.get $b)))))

  ;; The region bits of n switch values (kernels.ts positiveBits): word w of out (i32) has bit b
  ;; set when u[32w + b] > 0 (NaN is not), bits past n clear; two values per compare.
  (func (export "positiveBits") (param $out i32) (param $u i32) (param $n i32)
    (local $h i32) (local $b i32) (local $lim i32) (local $bits i32) (local $at i32)
    (block $wordsDone
      (loop $words
        (br_if $wordsDone (i32.ge_s (local.get $h) (local.get $n)))
        (local.set $lim (i32.sub (local.get $n) (local.get $h)))
        (if (i32.gt_s (local.get $lim) (i32.const 32)) (then (local.set $lim (i32.const 32))))
        (local.set $bits (i32.const 0))
        (local.set $b (i32.const 0))
        (local.set $at (i32.add (local.get $u) (i32.shl (local.get $h) (i32.const 3))))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.ge_s (i32.add (local.get $b) (i32.const 1)) (local.get $lim)))
            (local.set $bits (i32.or (local.get $bits)
              (i32.shl
                (i64x2.bitmask (f64x2.gt (v128.load (i32.add (local.get $at) (i32.shl (local.get $b) (i32.const 3)))) (v128.const f64x2 0 0)))
                (local.get $b))))
            (local.set $b (i32.add (local.get $b) (i32.const 2)))
            (br $pairs)))
        (if (i32.lt_s (local.get $b) (local.get $lim))
          (then
            (local.set $bits (i32.or (local.get $bits)
              (i32.shl (f64.gt (f64.load (i32.add (local.get $at) (i32.shl (local.get $b) (i32.const 3)))) (f64.const 0)) (local.get $b))))))
        (i32.store (local.get $out) (local.get $bits))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $h (i32.add (local.get $h) (i32.const 32)))
        (br $words))))

  ;; u[0..n) = u > 0 ? u : 0 (kernels.ts rectify; NaN and −0 become +0): pmax(0, u) is 0 < u ? u : 0.
  (func (export "rectify") (param $u i32) (param $n i32)
    (local $b i32) (local $end i32) (local $even i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $even (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $b) (local.get $even)))
        (v128.store (i32.add (local.get $u) (local.get $b))
          (f64x2.pmax (v128.const f64x2 0 0) (v128.load (i32.add (local.get $u) (local.get $b)))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $next)))
    (if (i32.lt_u (local.get $b) (local.get $end))
      (then
        (f64.store (i32.add (local.get $u) (local.get $b))
          (select (f64.load (i32.add (local.get $u) (local.get $b))) (f64.const 0)
            (f64.gt (f64.load (i32.add (local.get $u) (local.get $b))) (f64.const 0)))))))

    ;; The set bits h < H of a region's words, ascending, into out (i32); returns how many
  ;; (kernels.ts listActive): one step per set bit.
  (func (export "listActive") (param $out i32) (param $bits i32) (param $H i32) (result i32)
    (local $n i32) (local $h0 i32) (local $x i32)
    (block $wordsDone
      (loop $words
        (br_if $wordsDone (i32.ge_s (local.get $h0) (local.get $H)))
        (local.set $x (i32.load (local.get $bits)))
        (if (i32.lt_s (i32.sub (local.get $H) (local.get $h0)) (i32.const 32))
          (then (local.set $x (i32.and (local.get $x)
            (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $H) (local.get $h0))) (i32.const 1))))))
        (block $bitsDone
          (loop $bitsNext
            (br_if $bitsDone (i32.eqz (local.get $x)))
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2)))
              (i32.add (local.get $h0) (i32.ctz (local.get $x))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (local.set $x (i32.and (local.get $x) (i32.sub (local.get $x) (i32.const 1))))
            (br $bitsNext)))
        (local.set $bits (i32.add (local.get $bits) (i32.const 4)))
        (local.set $h0 (i32.add (local.get $h0) (i32.const 32)))
        (br $words)))
    (local.get $n))

  ;; LU factorisation with partial pivoting in place (lu.ts luFactor): 1, or 0 as soon as a
  ;; pivot is not above minPivot (NaN included).
  (func (export "luFactor") (param $a i32) (param $n i32) (param $piv i32) (param $minPivot f64) (result i32)
    (local $col i32) (local $r i32) (local $p i32) (local $j i32) (local $best f64) (local $v f64)
    (local $rowBytes i32) (local $rc i32) (local $rr i32) (local $rp i32) (local $t f64) (local $ti i32)
    (local $inv f64) (local $f f64)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 3)))
    (block $initDone
      (loop $init
        (br_if $initDone (i32.ge_u (local.get $r) (local.get $n)))
        (i32.store (i32.add (local.get $piv) (i32.shl (local.get $r) (i32.const 2))) (local.get $r))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $init)))
    (block $colsDone
      (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $col) (local.get $n)))
        (local.set $rc (i32.add (local.get $a) (i32.mul (local.get $col) (local.get $rowBytes))))
        (local.set $p (local.get $col))
        (local.set $best (f64.abs (f64.load (i32.add (local.get $rc) (i32.shl (local.get $col) (i32.const 3))))))
        (local.set $r (i32.add (local.get $col) (i32.const 1)))
        (block $searchDone
          (loop $search
            (br_if $searchDone (i32.ge_u (local.get $r) (local.get $n)))
            (local.set $v (f64.abs (f64.load (i32.add (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $rowBytes))) (i32.shl (local.get $col) (i32.const 3))))))
            (if (f64.gt (local.get $v) (local.get $best))
              (then
                (local.set $best (local.get $v))
                (local.set $p (local.get $r))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $search)))
        (if (i32.eqz (f64.gt (local.get $best) (local.get $minPivot))) (then (return (i32.const 0))))
        (if (i32.ne (local.get $p) (local.get $col))
          (then
            (local.set $rp (i32.add (local.get $a) (i32.mul (local.get $p) (local.get $rowBytes))))
            (local.set $j (i32.const 0))
            (block $swapDone
              (loop $swap
                (br_if $swapDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
                (local.set $t (f64.load (i32.add (local.get $rp) (local.get $j))))
                (f64.store (i32.add (local.get $rp) (local.get $j)) (f64.load (i32.add (local.get $rc) (local.get $j))))
                (f64.store (i32.add (local.get $rc) (local.get $j)) (local.get $t))
                (local.set $j (i32.add (local.get $j) (i32.const 8)))
                (br $swap)))
            (local.set $ti (i32.load (i32.add (local.get $piv) (i32.shl (local.get $p) (i32.const 2)))))
            (i32.store (i32.add (local.get $piv) (i32.shl (local.get $p) (i32.const 2)))
              (i32.load (i32.add (local.get $piv) (i32.shl (local.get $col) (i32.const 2)))))
            (i32.store (i32.add (local.get $piv) (i32.shl (local.get $col) (i32.const 2))) (local.get $ti))))
        (local.set $inv (f64.div (f64.const 1) (f64.load (i32.add (local.get $rc) (i32.shl (local.get $col) (i32.const 3))))))
        (local.set $r (i32.add (local.get $col) (i32.const 1)))
        (block $elimDone
          (loop $elim
            (br_if $elimDone (i32.ge_u (local.get $r) (local.get $n)))
            (local.set $rr (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $f (f64.mul (f64.load (i32.add (local.get $rr) (i32.shl (local.get $col) (i32.const 3)))) (local.get $inv)))
            (if (f64.ne (local.get $f) (f64.const 0))
              (then
                (f64.store (i32.add (local.get $rr) (i32.shl (local.get $col) (i32.const 3))) (local.get $f))
                (call $subOne
                  (i32.add (local.get $rr) (i32.shl (i32.add (local.get $col) (i32.const 1)) (i32.const 3)))
                  (i32.add (local.get $rc) (i32.shl (i32.add (local.get $col) (i32.const 1)) (i32.const 3)))
                  (i32.sub (i32.sub (local.get $n) (local.get $col)) (i32.const 1))
                  (local.get $f))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $elim)))
        (local.set $col (i32.add (local.get $col) (i32.const 1)))
        (br $cols)))
    (i32.const 1))
)
