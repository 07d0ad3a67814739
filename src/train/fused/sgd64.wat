;; fxsim fused training kernel: one dense layer, online SGD, every register <= 64 bits.
;;
;; The living definition is the BigInt reference (src/units, src/core); this kernel must give the
;; same bits and the same event counters, and test/train/fused is where that is checked. It works
;; in exact integers throughout: i64 where a value provably fits, 128-bit (hi, lo) pairs where it
;; may not (a diverging run's products), so it never falls back and never rounds.
;;
;; Weights are held transposed: W[o, i] at W + (i * rows + o) * 8, with a float64 mirror at
;; W + WF_DELTA (exact while |w| < 2^53, and read only then). XVF: the gathered inputs as f64.
;; Memory layout: a header at address 0 (field offsets below, mirrored in layout.ts), then
;; regions the host allocates. Format descriptor (32 bytes): lo i64 @0, hi i64 @8, width i32 @16,
;; signed i32 @20, overflow mode i32 @24 (0 WRAP, 1 SAT, 2 SAT_ZERO, 3 SAT_SYM; n_bits = 0).
;; Counter block (48 bytes, i64): values @0, inexact @8, toZero @16, overflows @24,
;; saturations @32, stochasticDraws @40. Rounding modes: 0 TRN, 1 TRN_ZERO, 2 TRN_INF,
;; 3 TRN_AWAY, 4 RND, 5 RND_ZERO, 6 RND_MIN_INF, 7 RND_INF, 8 RND_CONV, 9 RND_CONV_ODD.
;; STOCH update (rounding code 10): RNG_KIND @200 (1 xoshiro128**, 2 LFSR), RNG block @204, XD (dense
;; input, i64[cols]) @208.
;; Run driving (host-written): OFFSETS i32[N + 1] @184, LABELS i32[N] @188, HITS u8[] @192,
;; N_SAMPLES @196.
;; Post unit (128 bytes): kind i32 @0 (0 shift, 1 relu, 2 linear, 3 leaky_relu), k i32 @4 (bits
;; dropped by its cast), rounding i32 @8, format @16, counters @48, slope raw i64 @96, slope frac
;; i32 @104.
(module
  (memory (export "memory") 1)

  ;; ---- shared semantics: round, overflow, wide products --------------------------------------

  ;; Does dropping bits round the floor q up? (called only when the remainder is non-zero)
  (func $roundUp (param $qodd i32) (param $rem i64) (param $half i64) (param $neg i32) (param $mode i32) (result i32)
    (block $b9 (block $b8 (block $b7 (block $b6 (block $b5 (block $b4 (block $b3 (block $b2 (block $b1 (block $b0
      (br_table $b0 $b1 $b2 $b3 $b4 $b5 $b6 $b7 $b8 $b9 $b0 (local.get $mode)))
      (return (i32.const 0)))                                              ;; TRN
      (return (local.get $neg)))                                           ;; TRN_ZERO
      (return (i32.const 1)))                                              ;; TRN_INF
      (return (i32.eqz (local.get $neg))))                                 ;; TRN_AWAY
      (return (i64.ge_s (local.get $rem) (local.get $half))))              ;; RND
      (return (i32.or (i64.gt_s (local.get $rem) (local.get $half))        ;; RND_ZERO
        (i32.and (i64.eq (local.get $rem) (local.get $half)) (local.get $neg)))))
      (return (i64.gt_s (local.get $rem) (local.get $half))))              ;; RND_MIN_INF
      (return (i32.or (i64.gt_s (local.get $rem) (local.get $half))        ;; RND_INF
        (i32.and (i64.eq (local.get $rem) (local.get $half)) (i32.eqz (local.get $neg))))))
      (return (i32.or (i64.gt_s (local.get $rem) (local.get $half))        ;; RND_CONV
        (i32.and (i64.eq (local.get $rem) (local.get $half)) (local.get $qodd)))))
    (i32.or (i64.gt_s (local.get $rem) (local.get $half))                  ;; RND_CONV_ODD
      (i32.and (i64.eq (local.get $rem) (local.get $half)) (i32.eqz (local.get $qodd)))))

  (func $bump (param $at i32)
    (i64.store (local.get $at) (i64.add (i64.load (local.get $at)) (i64.const 1))))

  ;; quantizeRef on a 128-bit value (hi, lo): drop k bits (0 <= k <= 63) with a rounding mode.
  (func $quant (param $hi i64) (param $lo i64) (param $k i32) (param $mode i32) (param $ctr i32) (result i64 i64)
    (local $kk i64) (local $rem i64) (local $qhi i64) (local $qlo i64)
    (if (i32.eqz (local.get $k)) (then (return (local.get $hi) (local.get $lo))))
    (local.set $kk (i64.extend_i32_u (local.get $k)))
    (local.set $rem (i64.and (local.get $lo) (i64.sub (i64.shl (i64.const 1) (local.get $kk)) (i64.const 1))))
    (local.set $qlo (i64.or (i64.shr_u (local.get $lo) (local.get $kk)) (i64.shl (local.get $hi) (i64.sub (i64.const 64) (local.get $kk)))))
    (local.set $qhi (i64.shr_s (local.get $hi) (local.get $kk)))
    (if (i64.ne (local.get $rem) (i64.const 0))
      (then
        (call $bump (i32.add (local.get $ctr) (i32.const 8)))
        (if (call $roundUp (i32.wrap_i64 (i64.and (local.get $qlo) (i64.const 1))) (local.get $rem)
              (i64.shl (i64.const 1) (i64.sub (local.get $kk) (i64.const 1))) (i64.lt_s (local.get $hi) (i64.const 0)) (local.get $mode))
          (then
            (local.set $qlo (i64.add (local.get $qlo) (i64.const 1)))
            (if (i64.eqz (local.get $qlo)) (then (local.set $qhi (i64.add (local.get $qhi) (i64.const 1)))))))))
    (if (i32.and (i64.eqz (i64.or (local.get $qhi) (local.get $qlo))) (i64.ne (i64.or (local.get $hi) (local.get $lo)) (i64.const 0)))
      (then (call $bump (i32.add (local.get $ctr) (i32.const 16)))))
    (local.get $qhi) (local.get $qlo))

  ;; An exact left shift of a 128-bit value by n (0 <= n <= 63; the caller proves it fits).
  (func $shl128 (param $hi i64) (param $lo i64) (param $n i32) (result i64 i64)
    (local $nn i64)
    (if (i32.eqz (local.get $n)) (then (return (local.get $hi) (local.get $lo))))
    (local.set $nn (i64.extend_i32_u (local.get $n)))
    (i64.or (i64.shl (local.get $hi) (local.get $nn)) (i64.shr_u (local.get $lo) (i64.sub (i64.const 64) (local.get $nn))))
    (i64.shl (local.get $lo) (local.get $nn)))

  ;; overflowRef on a 128-bit value into a format of at most 64 bits (n_bits = 0).
  (func $ovf (param $hi i64) (param $lo i64) (param $fmt i32) (param $ctr i32) (result i64)
    (local $mode i32) (local $w i64)
    (if (i32.and (i64.eq (local.get $hi) (i64.shr_s (local.get $lo) (i64.const 63)))
          (i32.and (i64.ge_s (local.get $lo) (i64.load (local.get $fmt)))
                   (i64.le_s (local.get $lo) (i64.load offset=8 (local.get $fmt)))))
      (then (return (local.get $lo))))
    (call $bump (i32.add (local.get $ctr) (i32.const 24)))
    (local.set $mode (i32.load offset=24 (local.get $fmt)))
    (if (i32.eqz (local.get $mode))
      (then
        (local.set $w (i64.extend_i32_u (i32.load offset=16 (local.get $fmt))))
        (if (i64.eq (local.get $w) (i64.const 64)) (then (return (local.get $lo))))
        (if (i32.load offset=20 (local.get $fmt))
          (then (return (i64.shr_s (i64.shl (local.get $lo) (i64.sub (i64.const 64) (local.get $w))) (i64.sub (i64.const 64) (local.get $w))))))
        (return (i64.and (local.get $lo) (i64.sub (i64.shl (i64.const 1) (local.get $w)) (i64.const 1))))))
    (call $bump (i32.add (local.get $ctr) (i32.const 32)))
    (if (i32.eq (local.get $mode) (i32.const 2)) (then (return (i64.const 0))))
    (if (result i64) (i64.lt_s (local.get $hi) (i64.const 0))
      (then (i64.load (local.get $fmt)))
      (else (i64.load offset=8 (local.get $fmt)))))

  ;; Unsigned 64 x 64 -> 128 from 32-bit limbs.
  (func $mulu (param $a i64) (param $b i64) (result i64 i64)
    (local $a0 i64) (local $a1 i64) (local $b0 i64) (local $b1 i64) (local $p00 i64) (local $p01 i64) (local $p10 i64) (local $mid i64)
    (local.set $a0 (i64.and (local.get $a) (i64.const 0xffffffff)))
    (local.set $a1 (i64.shr_u (local.get $a) (i64.const 32)))
    (local.set $b0 (i64.and (local.get $b) (i64.const 0xffffffff)))
    (local.set $b1 (i64.shr_u (local.get $b) (i64.const 32)))
    (local.set $p00 (i64.mul (local.get $a0) (local.get $b0)))
    (local.set $p01 (i64.mul (local.get $a0) (local.get $b1)))
    (local.set $p10 (i64.mul (local.get $a1) (local.get $b0)))
    (local.set $mid (i64.add (i64.add (i64.shr_u (local.get $p00) (i64.const 32)) (i64.and (local.get $p01) (i64.const 0xffffffff)))
                             (i64.and (local.get $p10) (i64.const 0xffffffff))))
    (i64.add (i64.add (i64.mul (local.get $a1) (local.get $b1)) (i64.shr_u (local.get $p01) (i64.const 32)))
             (i64.add (i64.shr_u (local.get $p10) (i64.const 32)) (i64.shr_u (local.get $mid) (i64.const 32))))
    (i64.or (i64.shl (local.get $mid) (i64.const 32)) (i64.and (local.get $p00) (i64.const 0xffffffff))))

  ;; Signed 64 x 64 -> 128: the unsigned product, corrected for negative operands.
  (func $muls (param $a i64) (param $b i64) (result i64 i64)
    (local $hi i64) (local $lo i64)
    (call $mulu (local.get $a) (local.get $b))
    (local.set $lo) (local.set $hi)
    (if (i64.lt_s (local.get $a) (i64.const 0)) (then (local.set $hi (i64.sub (local.get $hi) (local.get $b)))))
    (if (i64.lt_s (local.get $b) (i64.const 0)) (then (local.set $hi (i64.sub (local.get $hi) (local.get $a)))))
    (local.get $hi) (local.get $lo))

  ;; Bits needed for |v| (0 for v = 0): |v| < 2^bits.
  (func $absBits (param $v i64) (result i64)
    (local $s i64)
    (local.set $s (i64.shr_s (local.get $v) (i64.const 63)))
    (i64.sub (i64.const 64) (i64.clz (i64.sub (i64.xor (local.get $v) (local.get $s)) (local.get $s)))))

  ;; ---- the layer ---------------------------------------------------------------------------

  ;; Gather sample [start, end) of the CSR into XI (each position i as the byte offset i * rows * 8 of
  ;; its column in the transposed weights) and XV (values); returns the count.
  ;; Positions are u16; codes u8 (byte data and its 256-entry table) or i32 (CODE_WIDTH 4). The table
  ;; has an f64 copy TABLEF_DELTA bytes after it (exact while its values are below 2^53, and read
  ;; only then, by the f64 MAC tier).
  (func $gather (param $start i32) (param $end i32) (result i32)
    (local $c8 i32) (local $tableF i32) (local $colBytes i32) (local $xvf i32) (local $j i32) (local $n i32) (local $pos i32) (local $code i32) (local $table i32) (local $xi i32) (local $xv i32)
    (local.set $n (i32.sub (local.get $end) (local.get $start)))
    (local.set $pos (i32.add (i32.load offset=12 (i32.const 0)) (i32.shl (local.get $start) (i32.const 1))))
    (local.set $table (i32.load offset=20 (i32.const 0)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xv (i32.load offset=28 (i32.const 0)))
    (local.set $xvf (i32.load offset=180 (i32.const 0)))
    (local.set $colBytes (i32.shl (i32.load offset=4 (i32.const 0)) (i32.const 3)))
    (local.set $tableF (i32.load offset=212 (i32.const 0)))
    (if (i32.eq (i32.load offset=172 (i32.const 0)) (i32.const 1))
      (then
        (local.set $code (i32.add (i32.load offset=16 (i32.const 0)) (local.get $start)))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
          (i32.store (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2)))
            (i32.mul (i32.load16_u (i32.add (local.get $pos) (i32.shl (local.get $j) (i32.const 1)))) (local.get $colBytes)))
          (local.set $c8 (i32.add (local.get $table) (i32.shl (i32.load8_u (i32.add (local.get $code) (local.get $j))) (i32.const 3))))
          (i64.store (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3))) (i64.load (local.get $c8)))
          (f64.store (i32.add (local.get $xvf) (i32.shl (local.get $j) (i32.const 3))) (f64.load (i32.add (local.get $c8) (local.get $tableF))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $next))))
      (else
        (local.set $code (i32.add (i32.load offset=16 (i32.const 0)) (i32.shl (local.get $start) (i32.const 2))))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
          (i32.store (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2)))
            (i32.mul (i32.load16_u (i32.add (local.get $pos) (i32.shl (local.get $j) (i32.const 1)))) (local.get $colBytes)))
          (local.set $c8 (i32.add (local.get $table) (i32.shl (i32.load (i32.add (local.get $code) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
          (i64.store (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3))) (i64.load (local.get $c8)))
          (f64.store (i32.add (local.get $xvf) (i32.shl (local.get $j) (i32.const 3))) (f64.load (i32.add (local.get $c8) (local.get $tableF))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $next)))))
    (local.get $n))

  ;; ceil(log2(n)) for n >= 1
  (func $ceilLog2 (param $n i32) (result i32)
    (if (result i32) (i32.le_u (local.get $n) (i32.const 1)) (then (i32.const 0))
      (else (i32.sub (i32.const 32) (i32.clz (i32.sub (local.get $n) (i32.const 1)))))))

  ;; The MAC row o over the gathered input: acc over j of W[o, XI[j]] * XV[j], the accumulator's
  ;; overflow after every addition. Three exact tiers chosen by bounds:
  ;;   0: no partial sum can leave the accumulator: plain i64 multiply-add;
  ;;   1: every product fits i64: i64 products, per-addition range check;
  ;;   2: general: 128-bit products and sums.
  (func $macRow (param $o i32) (param $n i32) (param $tier i32) (result i64)
    (local $j i32) (local $base i32) (local $rows i32) (local $xi i32) (local $xv i32) (local $acc i64) (local $p i64) (local $s i64)
    (local $fmt i32) (local $ctr i32) (local $lo i64) (local $hi i64) (local $phi i64) (local $plo i64) (local $c i64)
    ;; weights are stored transposed (W[i, o] at W + (i * rows + o) * 8): see $dotBlock
    (local.set $base (i32.add (i32.load (i32.const 0)) (i32.shl (local.get $o) (i32.const 3))))
    (local.set $rows (i32.shl (i32.load offset=4 (i32.const 0)) (i32.const 3)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xv (i32.load offset=28 (i32.const 0)))
    (local.set $fmt (i32.load offset=56 (i32.const 0)))
    (local.set $ctr (i32.load offset=60 (i32.const 0)))
    (local.set $lo (i64.load (local.get $fmt)))
    (local.set $hi (i64.load offset=8 (local.get $fmt)))
    (if (i32.eqz (local.get $tier))
      (then
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
          (local.set $acc (i64.add (local.get $acc) (i64.mul
            (i64.load (i32.add (local.get $base) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
            (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3)))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $next)))
        (return (local.get $acc))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (if (i32.eq (local.get $tier) (i32.const 1))
        (then
          (local.set $p (i64.mul
            (i64.load (i32.add (local.get $base) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
            (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3))))))
          (local.set $s (i64.add (local.get $acc) (local.get $p)))
          (if (i64.lt_s (i64.and (i64.xor (local.get $acc) (local.get $s)) (i64.xor (local.get $p) (local.get $s))) (i64.const 0))
            ;; the i64 sum wrapped: the true sum is s -/+ 2^64, its high word the sign of acc
            (then (local.set $acc (call $ovf (i64.shr_s (local.get $acc) (i64.const 63)) (local.get $s) (local.get $fmt) (local.get $ctr))))
            (else
              (if (i32.or (i64.lt_s (local.get $s) (local.get $lo)) (i64.gt_s (local.get $s) (local.get $hi)))
                (then (local.set $acc (call $ovf (i64.shr_s (local.get $s) (i64.const 63)) (local.get $s) (local.get $fmt) (local.get $ctr))))
                (else (local.set $acc (local.get $s)))))))
        (else
          (call $muls
            (i64.load (i32.add (local.get $base) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
            (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $plo) (local.set $phi)
          (local.set $s (i64.add (local.get $acc) (local.get $plo)))
          (local.set $c (i64.extend_i32_u (i64.lt_u (local.get $s) (local.get $acc))))
          (local.set $acc (call $ovf
            (i64.add (i64.add (i64.shr_s (local.get $acc) (i64.const 63)) (local.get $phi)) (local.get $c))
            (local.get $s) (local.get $fmt) (local.get $ctr)))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.get $acc))

  ;; Tier 0 for rows o0 .. o0 + R - 1 at once (R = 8, 4, 2): with the weights transposed, the R
  ;; weights of input i are adjacent, so one index and one value load serve R accumulators.
  ;; Sums go to ACC. Only under the tier-0 proof (no partial sum leaves the accumulator).
  (func $dot8 (param $o0 i32) (param $n i32)
    (local $j i32) (local $p i32) (local $x i64) (local $w i32) (local $rows i32) (local $xi i32) (local $xv i32) (local $out i32)
    (local $a0 i64) (local $a1 i64) (local $a2 i64) (local $a3 i64) (local $a4 i64) (local $a5 i64) (local $a6 i64) (local $a7 i64)
    (local.set $w (i32.add (i32.load (i32.const 0)) (i32.shl (local.get $o0) (i32.const 3))))
    (local.set $rows (i32.shl (i32.load offset=4 (i32.const 0)) (i32.const 3)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xv (i32.load offset=28 (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $p (i32.add (local.get $w) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $x (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3)))))
      (local.set $a0 (i64.add (local.get $a0) (i64.mul (i64.load (local.get $p)) (local.get $x))))
      (local.set $a1 (i64.add (local.get $a1) (i64.mul (i64.load offset=8 (local.get $p)) (local.get $x))))
      (local.set $a2 (i64.add (local.get $a2) (i64.mul (i64.load offset=16 (local.get $p)) (local.get $x))))
      (local.set $a3 (i64.add (local.get $a3) (i64.mul (i64.load offset=24 (local.get $p)) (local.get $x))))
      (local.set $a4 (i64.add (local.get $a4) (i64.mul (i64.load offset=32 (local.get $p)) (local.get $x))))
      (local.set $a5 (i64.add (local.get $a5) (i64.mul (i64.load offset=40 (local.get $p)) (local.get $x))))
      (local.set $a6 (i64.add (local.get $a6) (i64.mul (i64.load offset=48 (local.get $p)) (local.get $x))))
      (local.set $a7 (i64.add (local.get $a7) (i64.mul (i64.load offset=56 (local.get $p)) (local.get $x))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.set $out (i32.add (i32.load offset=32 (i32.const 0)) (i32.shl (local.get $o0) (i32.const 3))))
    (i64.store (local.get $out) (local.get $a0)) (i64.store offset=8 (local.get $out) (local.get $a1))
    (i64.store offset=16 (local.get $out) (local.get $a2)) (i64.store offset=24 (local.get $out) (local.get $a3))
    (i64.store offset=32 (local.get $out) (local.get $a4)) (i64.store offset=40 (local.get $out) (local.get $a5))
    (i64.store offset=48 (local.get $out) (local.get $a6)) (i64.store offset=56 (local.get $out) (local.get $a7)))

  (func $dot4 (param $o0 i32) (param $n i32)
    (local $j i32) (local $p i32) (local $x i64) (local $w i32) (local $rows i32) (local $xi i32) (local $xv i32) (local $out i32)
    (local $a0 i64) (local $a1 i64) (local $a2 i64) (local $a3 i64)
    (local.set $w (i32.add (i32.load (i32.const 0)) (i32.shl (local.get $o0) (i32.const 3))))
    (local.set $rows (i32.shl (i32.load offset=4 (i32.const 0)) (i32.const 3)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xv (i32.load offset=28 (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $p (i32.add (local.get $w) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $x (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3)))))
      (local.set $a0 (i64.add (local.get $a0) (i64.mul (i64.load (local.get $p)) (local.get $x))))
      (local.set $a1 (i64.add (local.get $a1) (i64.mul (i64.load offset=8 (local.get $p)) (local.get $x))))
      (local.set $a2 (i64.add (local.get $a2) (i64.mul (i64.load offset=16 (local.get $p)) (local.get $x))))
      (local.set $a3 (i64.add (local.get $a3) (i64.mul (i64.load offset=24 (local.get $p)) (local.get $x))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.set $out (i32.add (i32.load offset=32 (i32.const 0)) (i32.shl (local.get $o0) (i32.const 3))))
    (i64.store (local.get $out) (local.get $a0)) (i64.store offset=8 (local.get $out) (local.get $a1))
    (i64.store offset=16 (local.get $out) (local.get $a2)) (i64.store offset=24 (local.get $out) (local.get $a3)))

  (func $dot2 (param $o0 i32) (param $n i32)
    (local $j i32) (local $p i32) (local $x i64) (local $w i32) (local $rows i32) (local $xi i32) (local $xv i32) (local $out i32)
    (local $a0 i64) (local $a1 i64)
    (local.set $w (i32.add (i32.load (i32.const 0)) (i32.shl (local.get $o0) (i32.const 3))))
    (local.set $rows (i32.shl (i32.load offset=4 (i32.const 0)) (i32.const 3)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xv (i32.load offset=28 (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $p (i32.add (local.get $w) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $x (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3)))))
      (local.set $a0 (i64.add (local.get $a0) (i64.mul (i64.load (local.get $p)) (local.get $x))))
      (local.set $a1 (i64.add (local.get $a1) (i64.mul (i64.load offset=8 (local.get $p)) (local.get $x))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.set $out (i32.add (i32.load offset=32 (i32.const 0)) (i32.shl (local.get $o0) (i32.const 3))))
    (i64.store (local.get $out) (local.get $a0)) (i64.store offset=8 (local.get $out) (local.get $a1)))

  ;; Tier 0 in float64, rows o0 .. o0 + R - 1 (R = 10, 8, 4, 2), two rows a SIMD lane pair, from the
  ;; f64 mirror of the weights. Only when every partial sum is an integer below 2^53 in magnitude
  ;; (wBits + xBits + ceil(log2 n) <= 53): then every f64 operation is exact, whatever the order.
  (func $dotF10 (param $o0 i32) (param $n i32)
    (local $j i32) (local $p i32) (local $x v128) (local $w i32) (local $rows i32) (local $xi i32) (local $xvf i32) (local $out i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128)
    (local.set $w (i32.add (i32.add (i32.load (i32.const 0)) (i32.load offset=176 (i32.const 0))) (i32.shl (local.get $o0) (i32.const 3))))
    (local.set $rows (i32.shl (i32.load offset=4 (i32.const 0)) (i32.const 3)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xvf (i32.load offset=180 (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $p (i32.add (local.get $w) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $x (f64x2.splat (f64.load (i32.add (local.get $xvf) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load offset=0 (local.get $p)) (local.get $x))))
      (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (local.get $p)) (local.get $x))))
      (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (v128.load offset=32 (local.get $p)) (local.get $x))))
      (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (v128.load offset=48 (local.get $p)) (local.get $x))))
      (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (v128.load offset=64 (local.get $p)) (local.get $x))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.set $out (i32.add (i32.load offset=32 (i32.const 0)) (i32.shl (local.get $o0) (i32.const 3))))
    (i64.store offset=0 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 0 (local.get $a0))))
    (i64.store offset=8 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 1 (local.get $a0))))
    (i64.store offset=16 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 0 (local.get $a1))))
    (i64.store offset=24 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 1 (local.get $a1))))
    (i64.store offset=32 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 0 (local.get $a2))))
    (i64.store offset=40 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 1 (local.get $a2))))
    (i64.store offset=48 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 0 (local.get $a3))))
    (i64.store offset=56 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 1 (local.get $a3))))
    (i64.store offset=64 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 0 (local.get $a4))))
    (i64.store offset=72 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 1 (local.get $a4)))))

  (func $dotF8 (param $o0 i32) (param $n i32)
    (local $j i32) (local $p i32) (local $x v128) (local $w i32) (local $rows i32) (local $xi i32) (local $xvf i32) (local $out i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $w (i32.add (i32.add (i32.load (i32.const 0)) (i32.load offset=176 (i32.const 0))) (i32.shl (local.get $o0) (i32.const 3))))
    (local.set $rows (i32.shl (i32.load offset=4 (i32.const 0)) (i32.const 3)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xvf (i32.load offset=180 (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $p (i32.add (local.get $w) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $x (f64x2.splat (f64.load (i32.add (local.get $xvf) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load offset=0 (local.get $p)) (local.get $x))))
      (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (local.get $p)) (local.get $x))))
      (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (v128.load offset=32 (local.get $p)) (local.get $x))))
      (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (v128.load offset=48 (local.get $p)) (local.get $x))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.set $out (i32.add (i32.load offset=32 (i32.const 0)) (i32.shl (local.get $o0) (i32.const 3))))
    (i64.store offset=0 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 0 (local.get $a0))))
    (i64.store offset=8 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 1 (local.get $a0))))
    (i64.store offset=16 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 0 (local.get $a1))))
    (i64.store offset=24 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 1 (local.get $a1))))
    (i64.store offset=32 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 0 (local.get $a2))))
    (i64.store offset=40 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 1 (local.get $a2))))
    (i64.store offset=48 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 0 (local.get $a3))))
    (i64.store offset=56 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 1 (local.get $a3)))))

  (func $dotF4 (param $o0 i32) (param $n i32)
    (local $j i32) (local $p i32) (local $x v128) (local $w i32) (local $rows i32) (local $xi i32) (local $xvf i32) (local $out i32)
    (local $a0 v128) (local $a1 v128)
    (local.set $w (i32.add (i32.add (i32.load (i32.const 0)) (i32.load offset=176 (i32.const 0))) (i32.shl (local.get $o0) (i32.const 3))))
    (local.set $rows (i32.shl (i32.load offset=4 (i32.const 0)) (i32.const 3)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xvf (i32.load offset=180 (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $p (i32.add (local.get $w) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $x (f64x2.splat (f64.load (i32.add (local.get $xvf) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load offset=0 (local.get $p)) (local.get $x))))
      (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (local.get $p)) (local.get $x))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.set $out (i32.add (i32.load offset=32 (i32.const 0)) (i32.shl (local.get $o0) (i32.const 3))))
    (i64.store offset=0 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 0 (local.get $a0))))
    (i64.store offset=8 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 1 (local.get $a0))))
    (i64.store offset=16 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 0 (local.get $a1))))
    (i64.store offset=24 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 1 (local.get $a1)))))

  (func $dotF2 (param $o0 i32) (param $n i32)
    (local $j i32) (local $p i32) (local $x v128) (local $w i32) (local $rows i32) (local $xi i32) (local $xvf i32) (local $out i32)
    (local $a0 v128)
    (local.set $w (i32.add (i32.add (i32.load (i32.const 0)) (i32.load offset=176 (i32.const 0))) (i32.shl (local.get $o0) (i32.const 3))))
    (local.set $rows (i32.shl (i32.load offset=4 (i32.const 0)) (i32.const 3)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xvf (i32.load offset=180 (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $p (i32.add (local.get $w) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $x (f64x2.splat (f64.load (i32.add (local.get $xvf) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load offset=0 (local.get $p)) (local.get $x))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.set $out (i32.add (i32.load offset=32 (i32.const 0)) (i32.shl (local.get $o0) (i32.const 3))))
    (i64.store offset=0 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 0 (local.get $a0))))
    (i64.store offset=8 (local.get $out) (i64.trunc_f64_s (f64x2.extract_lane 1 (local.get $a0)))))

  ;; Tier 1 for a 64-bit accumulator, rows o0 .. o0 + R - 1 at once (R = 8 or 4): i64 products
  ;; (proven to fit) summed modulo 2^64, with one flag per row that records whether any addition
  ;; wrapped. A row whose flag stays clear never left the register, so its sum is the answer and
  ;; nothing was to be counted; a flagged row is recomputed by $macRow, which counts.
  ;; Returns the flagged rows as a bit mask.
  (func $dot8c (param $o0 i32) (param $n i32) (result i32)
    (local $j i32) (local $p i32) (local $x i64) (local $w i32) (local $rows i32) (local $xi i32) (local $xv i32) (local $out i32)
    (local $a0 i64) (local $a1 i64) (local $a2 i64) (local $a3 i64) (local $a4 i64) (local $a5 i64) (local $a6 i64) (local $a7 i64)
    (local $f0 i64) (local $f1 i64) (local $f2 i64) (local $f3 i64) (local $f4 i64) (local $f5 i64) (local $f6 i64) (local $f7 i64)
    (local $t i64) (local $s i64)
    (local.set $w (i32.add (i32.load (i32.const 0)) (i32.shl (local.get $o0) (i32.const 3))))
    (local.set $rows (i32.shl (i32.load offset=4 (i32.const 0)) (i32.const 3)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xv (i32.load offset=28 (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $p (i32.add (local.get $w) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $x (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3)))))
      ;; per row: t = w * x; s = a + t; the addition wrapped iff a and t share a sign s lacks
      (local.set $t (i64.mul (i64.load (local.get $p)) (local.get $x)))
      (local.set $s (i64.add (local.get $a0) (local.get $t)))
      (local.set $f0 (i64.or (local.get $f0) (i64.and (i64.xor (local.get $a0) (local.get $s)) (i64.xor (local.get $t) (local.get $s)))))
      (local.set $a0 (local.get $s))
      (local.set $t (i64.mul (i64.load offset=8 (local.get $p)) (local.get $x)))
      (local.set $s (i64.add (local.get $a1) (local.get $t)))
      (local.set $f1 (i64.or (local.get $f1) (i64.and (i64.xor (local.get $a1) (local.get $s)) (i64.xor (local.get $t) (local.get $s)))))
      (local.set $a1 (local.get $s))
      (local.set $t (i64.mul (i64.load offset=16 (local.get $p)) (local.get $x)))
      (local.set $s (i64.add (local.get $a2) (local.get $t)))
      (local.set $f2 (i64.or (local.get $f2) (i64.and (i64.xor (local.get $a2) (local.get $s)) (i64.xor (local.get $t) (local.get $s)))))
      (local.set $a2 (local.get $s))
      (local.set $t (i64.mul (i64.load offset=24 (local.get $p)) (local.get $x)))
      (local.set $s (i64.add (local.get $a3) (local.get $t)))
      (local.set $f3 (i64.or (local.get $f3) (i64.and (i64.xor (local.get $a3) (local.get $s)) (i64.xor (local.get $t) (local.get $s)))))
      (local.set $a3 (local.get $s))
      (local.set $t (i64.mul (i64.load offset=32 (local.get $p)) (local.get $x)))
      (local.set $s (i64.add (local.get $a4) (local.get $t)))
      (local.set $f4 (i64.or (local.get $f4) (i64.and (i64.xor (local.get $a4) (local.get $s)) (i64.xor (local.get $t) (local.get $s)))))
      (local.set $a4 (local.get $s))
      (local.set $t (i64.mul (i64.load offset=40 (local.get $p)) (local.get $x)))
      (local.set $s (i64.add (local.get $a5) (local.get $t)))
      (local.set $f5 (i64.or (local.get $f5) (i64.and (i64.xor (local.get $a5) (local.get $s)) (i64.xor (local.get $t) (local.get $s)))))
      (local.set $a5 (local.get $s))
      (local.set $t (i64.mul (i64.load offset=48 (local.get $p)) (local.get $x)))
      (local.set $s (i64.add (local.get $a6) (local.get $t)))
      (local.set $f6 (i64.or (local.get $f6) (i64.and (i64.xor (local.get $a6) (local.get $s)) (i64.xor (local.get $t) (local.get $s)))))
      (local.set $a6 (local.get $s))
      (local.set $t (i64.mul (i64.load offset=56 (local.get $p)) (local.get $x)))
      (local.set $s (i64.add (local.get $a7) (local.get $t)))
      (local.set $f7 (i64.or (local.get $f7) (i64.and (i64.xor (local.get $a7) (local.get $s)) (i64.xor (local.get $t) (local.get $s)))))
      (local.set $a7 (local.get $s))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.set $out (i32.add (i32.load offset=32 (i32.const 0)) (i32.shl (local.get $o0) (i32.const 3))))
    (i64.store (local.get $out) (local.get $a0)) (i64.store offset=8 (local.get $out) (local.get $a1))
    (i64.store offset=16 (local.get $out) (local.get $a2)) (i64.store offset=24 (local.get $out) (local.get $a3))
    (i64.store offset=32 (local.get $out) (local.get $a4)) (i64.store offset=40 (local.get $out) (local.get $a5))
    (i64.store offset=48 (local.get $out) (local.get $a6)) (i64.store offset=56 (local.get $out) (local.get $a7))
    (i32.or (i32.or (i32.or (i64.lt_s (local.get $f0) (i64.const 0)) (i32.shl (i64.lt_s (local.get $f1) (i64.const 0)) (i32.const 1)))
                    (i32.or (i32.shl (i64.lt_s (local.get $f2) (i64.const 0)) (i32.const 2)) (i32.shl (i64.lt_s (local.get $f3) (i64.const 0)) (i32.const 3))))
            (i32.or (i32.or (i32.shl (i64.lt_s (local.get $f4) (i64.const 0)) (i32.const 4)) (i32.shl (i64.lt_s (local.get $f5) (i64.const 0)) (i32.const 5)))
                    (i32.or (i32.shl (i64.lt_s (local.get $f6) (i64.const 0)) (i32.const 6)) (i32.shl (i64.lt_s (local.get $f7) (i64.const 0)) (i32.const 7))))))

  ;; Tier 2 for the study's datapath (a 64-bit WRAP accumulator, |x| < 2^31), one row: each product
  ;; in 128 bits from two i64 multiplies (w = wh * 2^32 + wl), the sum's low word is the register,
  ;; its high word tells whether this addition left int64 (counted, branch-free).
  (func $macRowWrap64 (param $o i32) (param $n i32) (result i64)
    (local $j i32) (local $base i32) (local $rows i32) (local $xi i32) (local $xv i32) (local $acc i64) (local $w i64) (local $x i64)
    (local $t i64) (local $m i64) (local $lo i64) (local $s i64) (local $ovf i64) (local $ctr i32)
    (local.set $base (i32.add (i32.load (i32.const 0)) (i32.shl (local.get $o) (i32.const 3))))
    (local.set $rows (i32.shl (i32.load offset=4 (i32.const 0)) (i32.const 3)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xv (i32.load offset=28 (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $w (i64.load (i32.add (local.get $base) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2)))))))
      (local.set $x (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3)))))
      (local.set $t (i64.mul (i64.and (local.get $w) (i64.const 0xffffffff)) (local.get $x)))
      (local.set $m (i64.add (i64.mul (i64.shr_s (local.get $w) (i64.const 32)) (local.get $x)) (i64.shr_s (local.get $t) (i64.const 32))))
      (local.set $lo (i64.or (i64.shl (local.get $m) (i64.const 32)) (i64.and (local.get $t) (i64.const 0xffffffff))))
      (local.set $s (i64.add (local.get $acc) (local.get $lo)))
      ;; high word of acc + w*x: sign(acc) + (m >> 32) + carry; it left int64 iff that is not s's sign
      (local.set $ovf (i64.add (local.get $ovf) (i64.extend_i32_u (i64.ne
        (i64.add (i64.add (i64.shr_s (local.get $acc) (i64.const 63)) (i64.shr_s (local.get $m) (i64.const 32))) (i64.extend_i32_u (i64.lt_u (local.get $s) (local.get $acc))))
        (i64.shr_s (local.get $s) (i64.const 63))))))
      (local.set $acc (local.get $s))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.set $ctr (i32.load offset=60 (i32.const 0)))
    (i64.store offset=24 (local.get $ctr) (i64.add (i64.load offset=24 (local.get $ctr)) (local.get $ovf)))
    (local.get $acc))

  ;; One post-MAC unit on one value: its exact function, then its cast (quantize, overflow).
  (func $postUnit (param $u i32) (param $v i64) (result i64)
    (local $k i32) (local $kk i64) (local $kind i32) (local $hi i64) (local $lo i64) (local $fc i64)
    (local.set $kind (i32.load (local.get $u)))
    (if (i32.eq (local.get $kind) (i32.const 1))
      (then (if (i64.lt_s (local.get $v) (i64.const 0)) (then (local.set $v (i64.const 0))))))
    (local.set $hi (i64.shr_s (local.get $v) (i64.const 63)))
    (local.set $lo (local.get $v))
    (if (i32.eq (local.get $kind) (i32.const 3))
      (then
        (if (i64.gt_s (local.get $v) (i64.const 0))
          (then
            (local.set $fc (i64.load32_u offset=104 (local.get $u)))
            (if (i64.ne (local.get $fc) (i64.const 0))
              (then
                (local.set $hi (i64.shr_s (local.get $v) (i64.sub (i64.const 64) (local.get $fc))))
                (local.set $lo (i64.shl (local.get $v) (local.get $fc))))))
          (else
            (call $muls (i64.load offset=96 (local.get $u)) (local.get $v))
            (local.set $lo) (local.set $hi)))))
    ;; the common cases without calls: an i64 value, dropping no bits or TRN (a floor)
    (local.set $k (i32.load offset=4 (local.get $u)))
    (if (i32.and (i64.eq (local.get $hi) (i64.shr_s (local.get $lo) (i64.const 63)))
          (i32.or (i32.eqz (local.get $k)) (i32.eqz (i32.load offset=8 (local.get $u)))))
      (then
        (if (local.get $k)
          (then
            (local.set $kk (i64.extend_i32_u (local.get $k)))
            (local.set $v (i64.shr_s (local.get $lo) (local.get $kk)))
            (if (i64.ne (i64.and (local.get $lo) (i64.sub (i64.shl (i64.const 1) (local.get $kk)) (i64.const 1))) (i64.const 0))
              (then
                (call $bump (i32.add (local.get $u) (i32.const 56)))
                (if (i64.eqz (local.get $v)) (then (call $bump (i32.add (local.get $u) (i32.const 64))))))))
          (else (local.set $v (local.get $lo))))
        (if (i32.and (i64.ge_s (local.get $v) (i64.load offset=16 (local.get $u))) (i64.le_s (local.get $v) (i64.load offset=24 (local.get $u))))
          (then (return (local.get $v))))
        (return (call $ovf (i64.shr_s (local.get $v) (i64.const 63)) (local.get $v) (i32.add (local.get $u) (i32.const 16)) (i32.add (local.get $u) (i32.const 48))))))
    (call $quant (local.get $hi) (local.get $lo) (local.get $k) (i32.load offset=8 (local.get $u)) (i32.add (local.get $u) (i32.const 48)))
    (local.set $lo) (local.set $hi)
    (call $ovf (local.get $hi) (local.get $lo) (i32.add (local.get $u) (i32.const 16)) (i32.add (local.get $u) (i32.const 48))))

  ;; Forward pass of sample [start, end): OUT (and ACC, PRE); returns the input count.
  (func $forward (param $start i32) (param $end i32) (result i32)
    (local $n i32) (local $o i32) (local $rows i32) (local $tier i32) (local $wBits i32) (local $xBits i32)
    (local $u i32) (local $nPost i32) (local $actAt i32) (local $v i64) (local $units i32) (local $done8 i32) (local $flags i32)
    (local.set $n (call $gather (local.get $start) (local.get $end)))
    (local.set $rows (i32.load offset=4 (i32.const 0)))
    (local.set $nPost (i32.load offset=48 (i32.const 0)))
    (local.set $actAt (i32.load offset=52 (i32.const 0)))
    (local.set $units (i32.load offset=64 (i32.const 0)))
    (local.set $wBits (i32.wrap_i64 (i64.sub (i64.const 64) (i64.clz (i64.load offset=144 (i32.const 0))))))
    (local.set $xBits (i32.load offset=108 (i32.const 0)))
    (local.set $tier (i32.const 2))
    (if (i32.le_s (i32.add (local.get $wBits) (local.get $xBits)) (i32.const 63)) (then (local.set $tier (i32.const 1))))
    (if (i32.le_s (i32.add (i32.add (local.get $wBits) (local.get $xBits)) (call $ceilLog2 (local.get $n))) (i32.load offset=152 (i32.const 0)))
      (then (local.set $tier (i32.const 0))))
    ;; tier 3: tier 2 for a 64-bit WRAP accumulator and |x| < 2^31, without calls
    (if (i32.and (i32.eq (local.get $tier) (i32.const 2))
          (i32.and (i32.le_s (local.get $xBits) (i32.const 31))
            (i32.and (i32.eq (i32.load offset=16 (i32.load offset=56 (i32.const 0))) (i32.const 64)) (i32.eqz (i32.load offset=24 (i32.load offset=56 (i32.const 0)))))))
      (then (local.set $tier (i32.const 3))))
    ;; tier 0 in float64 (SIMD) when partial sums stay below 2^53 too
    (if (i32.and (i32.eqz (local.get $tier))
          (i32.le_s (i32.add (i32.add (local.get $wBits) (local.get $xBits)) (call $ceilLog2 (local.get $n))) (i32.const 53)))
      (then
        (block $blockedF (loop $blockF
          (br_if $blockedF (i32.gt_u (i32.add (local.get $o) (i32.const 10)) (local.get $rows)))
          (call $dotF10 (local.get $o) (local.get $n))
          (local.set $o (i32.add (local.get $o) (i32.const 10)))
          (br $blockF)))
        (if (i32.le_u (i32.add (local.get $o) (i32.const 8)) (local.get $rows))
          (then (call $dotF8 (local.get $o) (local.get $n)) (local.set $o (i32.add (local.get $o) (i32.const 8)))))
        (if (i32.le_u (i32.add (local.get $o) (i32.const 4)) (local.get $rows))
          (then (call $dotF4 (local.get $o) (local.get $n)) (local.set $o (i32.add (local.get $o) (i32.const 4)))))
        (if (i32.le_u (i32.add (local.get $o) (i32.const 2)) (local.get $rows))
          (then (call $dotF2 (local.get $o) (local.get $n)) (local.set $o (i32.add (local.get $o) (i32.const 2)))))))
    (if (i32.eqz (local.get $tier))
      (then
        (block $blocked (loop $block
          (br_if $blocked (i32.gt_u (i32.add (local.get $o) (i32.const 8)) (local.get $rows)))
          (call $dot8 (local.get $o) (local.get $n))
          (local.set $o (i32.add (local.get $o) (i32.const 8)))
          (br $block)))
        (if (i32.le_u (i32.add (local.get $o) (i32.const 4)) (local.get $rows))
          (then (call $dot4 (local.get $o) (local.get $n)) (local.set $o (i32.add (local.get $o) (i32.const 4)))))
        (if (i32.le_u (i32.add (local.get $o) (i32.const 2)) (local.get $rows))
          (then (call $dot2 (local.get $o) (local.get $n)) (local.set $o (i32.add (local.get $o) (i32.const 2)))))
        (if (i32.lt_u (local.get $o) (local.get $rows))
          (then (i64.store (i32.add (i32.load offset=32 (i32.const 0)) (i32.shl (local.get $o) (i32.const 3)))
            (call $macRow (local.get $o) (local.get $n) (i32.const 0)))))
        (local.set $o (i32.const 0))))
    ;; tier 1 with a 64-bit accumulator: blocks of 8 rows checked at once; $done8 marks the rows in ACC
    (local.set $done8 (i32.const 0))
    (if (i32.and (i32.eq (local.get $tier) (i32.const 1)) (i32.eq (i32.load offset=16 (i32.load offset=56 (i32.const 0))) (i32.const 64)))
      (then
        (block $blocked (loop $block
          (br_if $blocked (i32.gt_u (i32.add (local.get $done8) (i32.const 8)) (local.get $rows)))
          (local.set $flags (call $dot8c (local.get $done8) (local.get $n)))
          ;; flagged rows: recompute with counting (it overwrites ACC)
          (local.set $u (i32.const 0))
          (block $fdone (loop $flag
            (br_if $fdone (i32.ge_u (local.get $u) (i32.const 8)))
            (if (i32.and (local.get $flags) (i32.shl (i32.const 1) (local.get $u)))
              (then (i64.store (i32.add (i32.load offset=32 (i32.const 0)) (i32.shl (i32.add (local.get $done8) (local.get $u)) (i32.const 3)))
                (call $macRow (i32.add (local.get $done8) (local.get $u)) (local.get $n) (i32.const 1)))))
            (local.set $u (i32.add (local.get $u) (i32.const 1)))
            (br $flag)))
          (local.set $done8 (i32.add (local.get $done8) (i32.const 8)))
          (br $block)))))
    (block $done (loop $row
      (br_if $done (i32.ge_u (local.get $o) (local.get $rows)))
      (local.set $v (if (result i64) (i32.or (i32.eqz (local.get $tier)) (i32.lt_u (local.get $o) (local.get $done8)))
        (then (i64.load (i32.add (i32.load offset=32 (i32.const 0)) (i32.shl (local.get $o) (i32.const 3)))))
        (else (if (result i64) (i32.eq (local.get $tier) (i32.const 3))
          (then (call $macRowWrap64 (local.get $o) (local.get $n)))
          (else (call $macRow (local.get $o) (local.get $n) (local.get $tier)))))))
      (i64.store (i32.add (i32.load offset=32 (i32.const 0)) (i32.shl (local.get $o) (i32.const 3))) (local.get $v))
      (i64.store (i32.add (i32.load offset=36 (i32.const 0)) (i32.shl (local.get $o) (i32.const 3))) (local.get $v))
      (local.set $u (i32.const 0))
      (block $udone (loop $unit
        (br_if $udone (i32.ge_s (local.get $u) (local.get $nPost)))
        (if (i32.eq (local.get $u) (local.get $actAt))
          (then (i64.store (i32.add (i32.load offset=36 (i32.const 0)) (i32.shl (local.get $o) (i32.const 3))) (local.get $v))))
        (local.set $v (call $postUnit (i32.add (local.get $units) (i32.shl (local.get $u) (i32.const 7))) (local.get $v)))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br $unit)))
      (i64.store (i32.add (i32.load offset=40 (i32.const 0)) (i32.shl (local.get $o) (i32.const 3))) (local.get $v))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $row)))
    (local.get $n))

  ;; numpy argmax of OUT: the first maximum.
  (func $argmax (result i32)
    (local $o i32) (local $best i32) (local $out i32) (local $rows i32)
    (local.set $out (i32.load offset=40 (i32.const 0)))
    (local.set $rows (i32.load offset=4 (i32.const 0)))
    (local.set $o (i32.const 1))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $o) (local.get $rows)))
      (if (i64.gt_s (i64.load (i32.add (local.get $out) (i32.shl (local.get $o) (i32.const 3))))
                    (i64.load (i32.add (local.get $out) (i32.shl (local.get $best) (i32.const 3)))))
        (then (local.set $best (local.get $o))))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $next)))
    (local.get $best))

  (func (export "infer") (param $start i32) (param $end i32) (result i32)
    (drop (call $forward (local.get $start) (local.get $end)))
    (call $argmax))

  ;; delta[o] = cast(e * f'(z)), e = target - a exact (up to 65 bits), with the statistics.
  (func $deltas (param $label i32)
    (local $o i32) (local $rows i32) (local $a i64) (local $t i64) (local $hi i64) (local $lo i64) (local $z i64)
    (local $kind i32) (local $fc i64) (local $d i64) (local $stats i32) (local $f f64) (local $scale f64)
    (local $sum f64) (local $sq f64) (local $zero f64) (local $fmt i32) (local $ctr i32)
    (local.set $rows (i32.load offset=4 (i32.const 0)))
    (local.set $kind (i32.load offset=112 (i32.const 0)))
    (local.set $fc (i64.load32_u offset=136 (i32.const 0)))
    (local.set $stats (i32.load offset=140 (i32.const 0)))
    (local.set $scale (f64.load offset=160 (i32.const 0)))
    (local.set $fmt (i32.load offset=68 (i32.const 0)))
    (local.set $ctr (i32.load offset=72 (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $o) (local.get $rows)))
      (local.set $t (select (i64.load offset=120 (i32.const 0)) (i64.const 0) (i32.eq (local.get $o) (local.get $label))))
      (local.set $a (i64.load (i32.add (i32.load offset=40 (i32.const 0)) (i32.shl (local.get $o) (i32.const 3)))))
      ;; a neuron is active in an interval when its output is non-zero for some sample
      (if (i64.ne (local.get $a) (i64.const 0)) (then (i32.store8 (i32.add (i32.load offset=168 (i32.const 0)) (local.get $o)) (i32.const 1))))
      (local.set $lo (i64.sub (local.get $t) (local.get $a)))
      (local.set $hi (i64.sub (i64.sub (i64.shr_s (local.get $t) (i64.const 63)) (i64.shr_s (local.get $a) (i64.const 63)))
                              (i64.extend_i32_u (i64.lt_u (local.get $t) (local.get $a)))))
      (local.set $z (i64.load (i32.add (i32.load offset=36 (i32.const 0)) (i32.shl (local.get $o) (i32.const 3)))))
      (if (i32.eq (local.get $kind) (i32.const 1))
        (then (if (i64.le_s (local.get $z) (i64.const 0)) (then (local.set $hi (i64.const 0)) (local.set $lo (i64.const 0))))))
      (if (i32.eq (local.get $kind) (i32.const 2))
        (then
          (if (i64.gt_s (local.get $z) (i64.const 0))
            (then
              (if (i64.ne (local.get $fc) (i64.const 0))
                (then
                  (local.set $hi (i64.or (i64.shl (local.get $hi) (local.get $fc)) (i64.shr_u (local.get $lo) (i64.sub (i64.const 64) (local.get $fc)))))
                  (local.set $lo (i64.shl (local.get $lo) (local.get $fc))))))
            (else
              ;; e * c with 0 <= c < 2^63: (hi * 2^64 + lo_unsigned) * c
              (local.set $d (i64.mul (local.get $hi) (i64.load offset=128 (i32.const 0))))
              (call $mulu (local.get $lo) (i64.load offset=128 (i32.const 0)))
              (local.set $lo) (local.set $hi)
              (local.set $hi (i64.add (local.get $hi) (local.get $d)))))))
      ;; the common case without calls: nothing to drop and a value already in the register's range
      (if (i32.and (i32.eqz (i32.load offset=76 (i32.const 0)))
            (i32.and (i64.eq (local.get $hi) (i64.shr_s (local.get $lo) (i64.const 63)))
              (i32.and (i64.ge_s (local.get $lo) (i64.load (local.get $fmt))) (i64.le_s (local.get $lo) (i64.load offset=8 (local.get $fmt))))))
        (then (local.set $d (local.get $lo)))
        (else
          (call $quant (local.get $hi) (local.get $lo) (i32.load offset=76 (i32.const 0)) (i32.load offset=80 (i32.const 0)) (local.get $ctr))
          (local.set $lo) (local.set $hi)
          (local.set $d (call $ovf (local.get $hi) (local.get $lo) (local.get $fmt) (local.get $ctr)))))
      (i64.store (i32.add (i32.load offset=44 (i32.const 0)) (i32.shl (local.get $o) (i32.const 3))) (local.get $d))
      ;; statistics as the host computes them: v = delta * 2^-frac, in row order
      (local.set $f (f64.mul (f64.convert_i64_s (local.get $d)) (local.get $scale)))
      (local.set $sum (f64.add (local.get $sum) (local.get $f)))
      (local.set $sq (f64.add (local.get $sq) (f64.mul (local.get $f) (local.get $f))))
      (if (f64.eq (local.get $f) (f64.const 0)) (then (local.set $zero (f64.add (local.get $zero) (f64.const 1)))))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $next)))
    (f64.store offset=8 (local.get $stats) (local.get $sum))
    (f64.store offset=16 (local.get $stats) (local.get $sq))
    (f64.store offset=24 (local.get $stats) (local.get $zero)))

  ;; The hottest case, one row: narrow, TRN, shift >= 1, a product register (if any) and a weight
  ;; register of 64 signed bits, and bounds proving |w + u| < 2^62: no range check is needed, so
  ;; only the counters remain (branch-free).
  (func $updateRowTrnFree (param $base i32) (param $rowBytes i32) (param $d i64) (param $n i32)
    (param $inexact i64) (param $toZero i64) (param $wor i64) (result i64 i64 i64)
    (local $wfd i32) (local $j i32) (local $xi i32) (local $xv i32) (local $at i32) (local $p i64) (local $u i64) (local $rem i64) (local $s i64)
    (local $sh i64) (local $mask i64)
    (local.set $wfd (i32.load offset=176 (i32.const 0)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xv (i32.load offset=28 (i32.const 0)))
    (local.set $sh (i64.extend_i32_u (i32.load offset=92 (i32.const 0))))
    (local.set $mask (i64.sub (i64.shl (i64.const 1) (local.get $sh)) (i64.const 1)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $at (i32.add (local.get $base) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $p (i64.mul (local.get $d) (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $u (i64.shr_s (local.get $p) (local.get $sh)))
      (local.set $rem (i64.and (local.get $p) (local.get $mask)))
      (local.set $inexact (i64.add (local.get $inexact) (i64.extend_i32_u (i64.ne (local.get $rem) (i64.const 0)))))
      ;; TRN: u = 0 from p != 0 exactly when 1 <= p <= 2^shift - 1
      (local.set $toZero (i64.add (local.get $toZero) (i64.extend_i32_u (i64.lt_u (i64.sub (local.get $p) (i64.const 1)) (local.get $mask)))))
      (local.set $s (i64.add (i64.load (local.get $at)) (local.get $u)))
      (i64.store (local.get $at) (local.get $s))
      (f64.store (i32.add (local.get $at) (local.get $wfd)) (f64.convert_i64_s (local.get $s)))
      (local.set $wor (i64.or (local.get $wor) (i64.xor (local.get $s) (i64.shr_s (local.get $s) (i64.const 63)))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.get $inexact) (local.get $toZero) (local.get $wor))

  ;; $updateRowTrnFree for two rows at once (each weight is written once per step and the counters
  ;; add up, so rows may be paired in any order): one index and one value load serve both.
  (func $updateRowsTrnFree2 (param $base1 i32) (param $base2 i32) (param $d1 i64) (param $d2 i64) (param $n i32)
    (param $inexact i64) (param $toZero i64) (param $wor i64) (result i64 i64 i64)
    (local $wfd i32) (local $j i32) (local $xi i32) (local $xv i32) (local $off i32) (local $at i32) (local $x i64)
    (local $p i64) (local $u i64) (local $rem i64) (local $s i64) (local $sh i64) (local $mask i64)
    (local.set $wfd (i32.load offset=176 (i32.const 0)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xv (i32.load offset=28 (i32.const 0)))
    (local.set $sh (i64.extend_i32_u (i32.load offset=92 (i32.const 0))))
    (local.set $mask (i64.sub (i64.shl (i64.const 1) (local.get $sh)) (i64.const 1)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $off (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $x (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3)))))
      (local.set $at (i32.add (local.get $base1) (local.get $off)))
      (local.set $p (i64.mul (local.get $d1) (local.get $x)))
      (local.set $u (i64.shr_s (local.get $p) (local.get $sh)))
      (local.set $rem (i64.and (local.get $p) (local.get $mask)))
      (local.set $inexact (i64.add (local.get $inexact) (i64.extend_i32_u (i64.ne (local.get $rem) (i64.const 0)))))
      (local.set $toZero (i64.add (local.get $toZero) (i64.extend_i32_u (i64.lt_u (i64.sub (local.get $p) (i64.const 1)) (local.get $mask)))))
      (local.set $s (i64.add (i64.load (local.get $at)) (local.get $u)))
      (i64.store (local.get $at) (local.get $s))
      (f64.store (i32.add (local.get $at) (local.get $wfd)) (f64.convert_i64_s (local.get $s)))
      (local.set $wor (i64.or (local.get $wor) (i64.xor (local.get $s) (i64.shr_s (local.get $s) (i64.const 63)))))
      (local.set $at (i32.add (local.get $base2) (local.get $off)))
      (local.set $p (i64.mul (local.get $d2) (local.get $x)))
      (local.set $u (i64.shr_s (local.get $p) (local.get $sh)))
      (local.set $rem (i64.and (local.get $p) (local.get $mask)))
      (local.set $inexact (i64.add (local.get $inexact) (i64.extend_i32_u (i64.ne (local.get $rem) (i64.const 0)))))
      (local.set $toZero (i64.add (local.get $toZero) (i64.extend_i32_u (i64.lt_u (i64.sub (local.get $p) (i64.const 1)) (local.get $mask)))))
      (local.set $s (i64.add (i64.load (local.get $at)) (local.get $u)))
      (i64.store (local.get $at) (local.get $s))
      (f64.store (i32.add (local.get $at) (local.get $wfd)) (f64.convert_i64_s (local.get $s)))
      (local.set $wor (i64.or (local.get $wor) (i64.xor (local.get $s) (i64.shr_s (local.get $s) (i64.const 63)))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.get $inexact) (local.get $toZero) (local.get $wor))

  ;; The hot case of $update, one row: every product fits i64, TRN, shift >= 1. Branch-free
  ;; counters (a branch on u, mostly 0 or -1 here, mispredicts). Returns the counts and |w| bound.
  (func $updateRowTrn (param $base i32) (param $rowBytes i32) (param $d i64) (param $n i32) (param $wide i32)
    (param $inexact i64) (param $toZero i64) (param $wor i64) (result i64 i64 i64)
    (local $wfd i32) (local $povf i64) (local $dl i64) (local $dh i64) (local $t i64) (local $x i64) (local $j i32) (local $xi i32) (local $xv i32) (local $at i32) (local $p i64) (local $u i64) (local $rem i64) (local $w i64) (local $s i64)
    (local $sh i64) (local $mask i64) (local $hasP i32) (local $plo i64) (local $phi i64) (local $pfmt i32) (local $wfmt i32) (local $wlo i64) (local $whi i64) (local $ctr i32) (local $c i64)
    (local.set $wfd (i32.load offset=176 (i32.const 0)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xv (i32.load offset=28 (i32.const 0)))
    (local.set $sh (i64.extend_i32_u (i32.load offset=92 (i32.const 0))))
    (local.set $mask (i64.sub (i64.shl (i64.const 1) (local.get $sh)) (i64.const 1)))
    (local.set $hasP (i32.load offset=84 (i32.const 0)))
    (local.set $pfmt (i32.load offset=88 (i32.const 0)))
    (local.set $plo (i64.load (local.get $pfmt)))
    (local.set $phi (i64.load offset=8 (local.get $pfmt)))
    (local.set $wfmt (i32.load offset=100 (i32.const 0)))
    (local.set $wlo (i64.load (local.get $wfmt)))
    (local.set $whi (i64.load offset=8 (local.get $wfmt)))
    (local.set $ctr (i32.load offset=104 (i32.const 0)))
    (local.set $dl (i64.and (local.get $d) (i64.const 0xffffffff)))
    (local.set $dh (i64.shr_s (local.get $d) (i64.const 32)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $at (i32.add (local.get $base) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $x (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3)))))
      (local.set $p (i64.mul (local.get $d) (local.get $x)))
      (if (local.get $wide) (then
        ;; d * x may pass i64: the register wraps it (p is already the low word); count it when
        ;; the high word of d * x = (dh * x + (dl * x >> 32)) >> 32 is not p's sign
        (local.set $t (i64.mul (local.get $dl) (local.get $x)))
        (local.set $povf (i64.add (local.get $povf) (i64.extend_i32_u (i64.ne
          (i64.shr_s (i64.add (i64.mul (local.get $dh) (local.get $x)) (i64.shr_s (local.get $t) (i64.const 32))) (i64.const 32))
          (i64.shr_s (local.get $p) (i64.const 63))))))))
      (if (i32.and (local.get $hasP) (i32.eqz (local.get $wide))) (then
        (if (i32.or (i64.lt_s (local.get $p) (local.get $plo)) (i64.gt_s (local.get $p) (local.get $phi)))
          (then (local.set $p (call $ovf (i64.shr_s (local.get $p) (i64.const 63)) (local.get $p) (local.get $pfmt) (local.get $ctr)))))))
      (local.set $u (i64.shr_s (local.get $p) (local.get $sh)))
      (local.set $rem (i64.and (local.get $p) (local.get $mask)))
      (local.set $inexact (i64.add (local.get $inexact) (i64.extend_i32_u (i64.ne (local.get $rem) (i64.const 0)))))
      ;; TRN: u = 0 with p != 0 exactly when 0 < p < 2^shift, i.e. rem != 0 and u = 0
      (local.set $toZero (i64.add (local.get $toZero) (i64.extend_i32_u (i32.and (i64.eqz (local.get $u)) (i64.ne (local.get $rem) (i64.const 0))))))
      (local.set $w (i64.load (local.get $at)))
      (local.set $s (i64.add (local.get $w) (local.get $u)))
      (if (i64.lt_s (i64.and (i64.xor (local.get $w) (local.get $s)) (i64.xor (local.get $u) (local.get $s))) (i64.const 0))
        (then (local.set $s (call $ovf (i64.shr_s (local.get $w) (i64.const 63)) (local.get $s) (local.get $wfmt) (local.get $ctr))))
        (else (if (i32.or (i64.lt_s (local.get $s) (local.get $wlo)) (i64.gt_s (local.get $s) (local.get $whi)))
          (then (local.set $s (call $ovf (i64.shr_s (local.get $s) (i64.const 63)) (local.get $s) (local.get $wfmt) (local.get $ctr)))))))
      (i64.store (local.get $at) (local.get $s))
      (f64.store (i32.add (local.get $at) (local.get $wfd)) (f64.convert_i64_s (local.get $s)))
      (local.set $c (i64.shr_s (local.get $s) (i64.const 63)))
      (local.set $wor (i64.or (local.get $wor) (i64.sub (i64.xor (local.get $s) (local.get $c)) (local.get $c))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (i64.store offset=24 (local.get $ctr) (i64.add (i64.load offset=24 (local.get $ctr)) (local.get $povf)))
    (local.get $inexact) (local.get $toZero) (local.get $wor))

  ;; ---- random bits for a STOCH update (src/core/random.ts): RNG block at header 204 ----
  ;; Both sources are read as a stream of blocks, each emitted MSB first; buf i32 @16 holds the
  ;; current block and avail i32 @20 how many of its low bits are not yet drawn.
  ;; xoshiro128** (kind 1): s0..s3 i32 @0..12; a block is one 32-bit output.
  ;; LFSR (kind 2): state i32 @24, width @28, block table @32. A Fibonacci LFSR emits its state
  ;; MSB first and, `width` clocks later, holds the `width` feedback bits, a linear map of the old
  ;; state; so a block is the state itself and the next state is that map, read from the host's
  ;; table (4 x 256 i32, one per state byte, XORed). That is 4 loads per block instead of
  ;; `width` bit-serial clocks, each waiting on the last.
  ;; Jump tables @36 and their count @40 (rng-jump.ts): both state transitions are linear, so
  ;; skipping 2^p blocks is one more map, applied by nibbles.
  (func $next32 (param $r i32) (result i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $out i32) (local $t i32)
    (local.set $s0 (i32.load (local.get $r))) (local.set $s1 (i32.load offset=4 (local.get $r)))
    (local.set $s2 (i32.load offset=8 (local.get $r))) (local.set $s3 (i32.load offset=12 (local.get $r)))
    (local.set $out (i32.mul (i32.rotl (i32.mul (local.get $s1) (i32.const 5)) (i32.const 7)) (i32.const 9)))
    (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
    (local.set $s2 (i32.xor (local.get $s2) (local.get $s0)))
    (local.set $s3 (i32.xor (local.get $s3) (local.get $s1)))
    (local.set $s1 (i32.xor (local.get $s1) (local.get $s2)))
    (local.set $s0 (i32.xor (local.get $s0) (local.get $s3)))
    (local.set $s2 (i32.xor (local.get $s2) (local.get $t)))
    (local.set $s3 (i32.rotl (local.get $s3) (i32.const 11)))
    (i32.store (local.get $r) (local.get $s0)) (i32.store offset=4 (local.get $r) (local.get $s1))
    (i32.store offset=8 (local.get $r) (local.get $s2)) (i32.store offset=12 (local.get $r) (local.get $s3))
    (local.get $out))

  ;; The LFSR's next block: its state, which then jumps `width` clocks ahead.
  (func $lfsrBlock (param $r i32) (result i32)
    (local $st i32) (local $t i32)
    (local.set $st (i32.load offset=24 (local.get $r)))
    (local.set $t (i32.load offset=32 (local.get $r)))
    (i32.store offset=24 (local.get $r)
      (i32.xor
        (i32.xor
          (i32.load (i32.add (local.get $t) (i32.shl (i32.and (local.get $st) (i32.const 255)) (i32.const 2))))
          (i32.load offset=1024 (i32.add (local.get $t) (i32.shl (i32.and (i32.shr_u (local.get $st) (i32.const 8)) (i32.const 255)) (i32.const 2)))))
        (i32.xor
          (i32.load offset=2048 (i32.add (local.get $t) (i32.shl (i32.and (i32.shr_u (local.get $st) (i32.const 16)) (i32.const 255)) (i32.const 2))))
          (i32.load offset=3072 (i32.add (local.get $t) (i32.shl (i32.shr_u (local.get $st) (i32.const 24)) (i32.const 2)))))))
    (local.get $st))

  ;; Refill buf with the next block; returns its size in bits.
  (func $refill (param $r i32) (result i32)
    (if (i32.eq (i32.load offset=200 (i32.const 0)) (i32.const 2))
      (then
        (i32.store offset=16 (local.get $r) (call $lfsrBlock (local.get $r)))
        (return (i32.load offset=28 (local.get $r)))))
    (i32.store offset=16 (local.get $r) (call $next32 (local.get $r)))
    (i32.const 32))

  ;; The next k bits of the stream (1 <= k <= 63), first bit most significant.
  (func $rngBits (param $k i32) (result i64)
    (local $r i32) (local $u i64) (local $take i32) (local $avail i32)
    (local.set $r (i32.load offset=204 (i32.const 0)))
    (local.set $avail (i32.load offset=20 (local.get $r)))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $k)))
      (if (i32.eqz (local.get $avail)) (then (local.set $avail (call $refill (local.get $r)))))
      (local.set $take (select (local.get $k) (local.get $avail) (i32.lt_u (local.get $k) (local.get $avail))))
      (local.set $u (i64.or (i64.shl (local.get $u) (i64.extend_i32_u (local.get $take)))
        (i64.and (i64.shr_u (i64.load32_u offset=16 (local.get $r)) (i64.extend_i32_u (i32.sub (local.get $avail) (local.get $take))))
          (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $take))) (i64.const 1)))))
      (local.set $avail (i32.sub (local.get $avail) (local.get $take)))
      (local.set $k (i32.sub (local.get $k) (local.get $take)))
      (br $next)))
    (i32.store offset=20 (local.get $r) (local.get $avail))
    (local.get $u))

  ;; One block forward, unread.
  (func $advance (param $r i32)
    (if (i32.eq (i32.load offset=200 (i32.const 0)) (i32.const 2))
      (then (drop (call $lfsrBlock (local.get $r))))
      (else (drop (call $next32 (local.get $r))))))

  ;; The state at $st (words i32: 1 LFSR, 4 xoshiro128**) through one linear map, by its nibble
  ;; table at $t (rng-jump.ts): the XOR of entry (q, nibble q) over the state's nibbles q.
  (func $jumpPow (param $st i32) (param $words i32) (param $t i32)
    (local $q i32) (local $e i32) (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $q) (i32.shl (local.get $words) (i32.const 3))))
      (local.set $e (i32.add (i32.add (local.get $t) (i32.shl (local.get $q) (i32.const 8)))
        (i32.shl (i32.and (i32.shr_u (i32.load (i32.add (local.get $st) (i32.shl (i32.shr_u (local.get $q) (i32.const 3)) (i32.const 2))))
          (i32.shl (i32.and (local.get $q) (i32.const 7)) (i32.const 2))) (i32.const 15)) (i32.const 4))))
      (local.set $a0 (i32.xor (local.get $a0) (i32.load (local.get $e))))
      (local.set $a1 (i32.xor (local.get $a1) (i32.load offset=4 (local.get $e))))
      (local.set $a2 (i32.xor (local.get $a2) (i32.load offset=8 (local.get $e))))
      (local.set $a3 (i32.xor (local.get $a3) (i32.load offset=12 (local.get $e))))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $next)))
    (i32.store (local.get $st) (local.get $a0))
    (if (i32.eq (local.get $words) (i32.const 4)) (then
      (i32.store offset=4 (local.get $st) (local.get $a1))
      (i32.store offset=8 (local.get $st) (local.get $a2))
      (i32.store offset=12 (local.get $st) (local.get $a3)))))

  ;; Skip n bits of the stream (draws whose value cannot matter: a zero product): the rest of the
  ;; current block, then m whole blocks (m mod 32 stepped, the rest jumped by the tables of
  ;; T^(2^p), p >= 5: jump table @36, powers @40), then into the next block.
  (func $rngSkip (param $n i32)
    (local $r i32) (local $avail i32) (local $lfsr i32) (local $block i32) (local $m i32) (local $i i32) (local $p i32) (local $words i32) (local $st i32)
    (local.set $r (i32.load offset=204 (i32.const 0)))
    (local.set $avail (i32.load offset=20 (local.get $r)))
    (if (i32.le_u (local.get $n) (local.get $avail))
      (then (i32.store offset=20 (local.get $r) (i32.sub (local.get $avail) (local.get $n))) (return)))
    (local.set $n (i32.sub (local.get $n) (local.get $avail)))
    (local.set $lfsr (i32.eq (i32.load offset=200 (i32.const 0)) (i32.const 2)))
    (local.set $block (select (i32.load offset=28 (local.get $r)) (i32.const 32) (local.get $lfsr)))
    (local.set $words (select (i32.const 1) (i32.const 4) (local.get $lfsr)))
    (local.set $st (select (i32.add (local.get $r) (i32.const 24)) (local.get $r) (local.get $lfsr)))
    (local.set $m (i32.div_u (local.get $n) (local.get $block)))
    (local.set $n (i32.sub (local.get $n) (i32.mul (local.get $m) (local.get $block))))
    (local.set $i (i32.and (local.get $m) (i32.const 31)))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $i)))
      (call $advance (local.get $r))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $next)))
    (local.set $m (i32.shr_u (local.get $m) (i32.const 5)))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $m)))
      (if (i32.and (local.get $m) (i32.const 1)) (then
        ;; the host sizes the tables for the longest skip a step can make (rows * cols * shift bits)
        (if (i32.ge_u (local.get $p) (i32.load offset=40 (local.get $r))) (then unreachable))
        (call $jumpPow (local.get $st) (local.get $words)
          (i32.add (i32.load offset=36 (local.get $r)) (i32.mul (local.get $p) (i32.shl (local.get $words) (i32.const 11)))))))
      (local.set $m (i32.shr_u (local.get $m) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $next)))
    (if (i32.eqz (local.get $n))
      (then (i32.store offset=20 (local.get $r) (i32.const 0)))
      (else (i32.store offset=20 (local.get $r) (i32.sub (call $refill (local.get $r)) (local.get $n))))))

  ;; The STOCH update: every (o, i) in row-major order draws `shift` bits, as the reference does
  ;; (q = (p + r) >> shift), including zero products, whose draws are skipped over in the stream:
  ;; a row with delta 0 skips cols * shift bits, and the gaps between a sample's non-zero inputs
  ;; (ascending columns, as the CSR holds them) are skipped before each draw.
  ;; A row whose products fit 62 bits (|d| < 2^dBits, |x| < 2^xBits) adds r in i64; others in 128 bits.
  (func $updateStoch (param $n i32)
    (local $wfd i32) (local $o i32) (local $j i32) (local $rows i32) (local $rowBytes i32) (local $cols i32) (local $k i32) (local $kk i64) (local $mask i64)
    (local $d i64) (local $x i64) (local $gap i32) (local $at i32) (local $base i32) (local $phi i64) (local $plo i64) (local $r i64) (local $lo i64) (local $hi i64)
    (local $qhi i64) (local $qlo i64) (local $w i64) (local $s i64) (local $c i64) (local $ctr i32) (local $wor i64) (local $skip i32) (local $tail i32)
    (local $narrow i32) (local $hasP i32) (local $pfmt i32) (local $plo64 i64) (local $phi64 i64) (local $wfmt i32) (local $wlo i64) (local $whi i64)
    (local $inexact i64) (local $toZero i64) (local $xi i32) (local $xv i32) (local $col i32) (local $prev i32)
    (local.set $wfd (i32.load offset=176 (i32.const 0)))
    (local.set $rows (i32.load offset=4 (i32.const 0)))
    (local.set $rowBytes (i32.shl (local.get $rows) (i32.const 3)))
    (local.set $cols (i32.load offset=8 (i32.const 0)))
    (local.set $k (i32.load offset=92 (i32.const 0)))
    (local.set $kk (i64.extend_i32_u (local.get $k)))
    (local.set $mask (i64.sub (i64.shl (i64.const 1) (local.get $kk)) (i64.const 1)))
    (local.set $ctr (i32.load offset=104 (i32.const 0)))
    (local.set $wor (i64.load offset=144 (i32.const 0)))
    (local.set $hasP (i32.load offset=84 (i32.const 0)))
    (local.set $pfmt (i32.load offset=88 (i32.const 0)))
    (local.set $plo64 (i64.load (local.get $pfmt)))
    (local.set $phi64 (i64.load offset=8 (local.get $pfmt)))
    (local.set $wfmt (i32.load offset=100 (i32.const 0)))
    (local.set $wlo (i64.load (local.get $wfmt)))
    (local.set $whi (i64.load offset=8 (local.get $wfmt)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xv (i32.load offset=28 (i32.const 0)))
    ;; the bits skipped before each non-zero input of a row (its zero columns), into XD as i32,
    ;; and after the last
    (local.set $gap (i32.load offset=208 (i32.const 0)))
    (local.set $prev (i32.const -1))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $col (i32.div_u (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2)))) (local.get $rowBytes)))
      (i32.store (i32.add (local.get $gap) (i32.shl (local.get $j) (i32.const 2)))
        (i32.mul (i32.sub (i32.sub (local.get $col) (local.get $prev)) (i32.const 1)) (local.get $k)))
      (local.set $prev (local.get $col))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (local.set $tail (i32.mul (i32.sub (i32.sub (local.get $cols) (local.get $prev)) (i32.const 1)) (local.get $k)))
    (block $rowsDone (loop $row
      (br_if $rowsDone (i32.ge_u (local.get $o) (local.get $rows)))
      (local.set $d (i64.load (i32.add (i32.load offset=44 (i32.const 0)) (i32.shl (local.get $o) (i32.const 3)))))
      (if (i64.eqz (local.get $d))
        (then (local.set $skip (i32.add (local.get $skip) (i32.mul (local.get $cols) (local.get $k)))))
        (else
          (local.set $base (i32.add (i32.load (i32.const 0)) (i32.shl (local.get $o) (i32.const 3))))
          ;; |p| < 2^62 and r < 2^62: p + r fits i64
          (local.set $narrow (i32.and (i32.le_s (local.get $k) (i32.const 62))
            (i32.le_s (i32.add (i32.wrap_i64 (call $absBits (local.get $d))) (i32.load offset=108 (i32.const 0))) (i32.const 62))))
          (local.set $j (i32.const 0))
          (block $colsDone (loop $col
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $skip (i32.add (local.get $skip) (i32.load (i32.add (local.get $gap) (i32.shl (local.get $j) (i32.const 2))))))
            (if (local.get $skip) (then (call $rngSkip (local.get $skip)) (local.set $skip (i32.const 0))))
            (local.set $at (i32.add (local.get $base) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
            (local.set $x (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3)))))
            (local.set $w (i64.load (local.get $at)))
            (if (local.get $narrow)
              (then
                (local.set $plo (i64.mul (local.get $d) (local.get $x)))
                (if (local.get $hasP) (then
                  (if (i32.or (i64.lt_s (local.get $plo) (local.get $plo64)) (i64.gt_s (local.get $plo) (local.get $phi64)))
                    (then (local.set $plo (call $ovf (i64.shr_s (local.get $plo) (i64.const 63)) (local.get $plo) (local.get $pfmt) (local.get $ctr)))))))
                ;; q = (p + r) >> k; inexact iff p has bits below 2^k (r < 2^k)
                (local.set $qlo (i64.shr_s (i64.add (local.get $plo) (call $rngBits (local.get $k))) (local.get $kk)))
                (if (i64.ne (i64.and (local.get $plo) (local.get $mask)) (i64.const 0)) (then
                  (local.set $inexact (i64.add (local.get $inexact) (i64.const 1)))
                  (if (i64.eqz (local.get $qlo)) (then (local.set $toZero (i64.add (local.get $toZero) (i64.const 1)))))))
                (local.set $s (i64.add (local.get $w) (local.get $qlo)))
                (if (i64.lt_s (i64.and (i64.xor (local.get $w) (local.get $s)) (i64.xor (local.get $qlo) (local.get $s))) (i64.const 0))
                  (then (local.set $s (call $ovf (i64.shr_s (local.get $w) (i64.const 63)) (local.get $s) (local.get $wfmt) (local.get $ctr))))
                  (else (if (i32.or (i64.lt_s (local.get $s) (local.get $wlo)) (i64.gt_s (local.get $s) (local.get $whi)))
                    (then (local.set $s (call $ovf (i64.shr_s (local.get $s) (i64.const 63)) (local.get $s) (local.get $wfmt) (local.get $ctr))))))))
              (else
                (call $muls (local.get $d) (local.get $x))
                (local.set $plo) (local.set $phi)
                (if (local.get $hasP) (then
                  (local.set $plo (call $ovf (local.get $phi) (local.get $plo) (local.get $pfmt) (local.get $ctr)))
                  (local.set $phi (i64.shr_s (local.get $plo) (i64.const 63)))))
                (local.set $r (call $rngBits (local.get $k)))
                ;; q = (p + r) >> k in 128 bits
                (local.set $lo (i64.add (local.get $plo) (local.get $r)))
                (local.set $hi (i64.add (local.get $phi) (i64.extend_i32_u (i64.lt_u (local.get $lo) (local.get $plo)))))
                (local.set $qlo (i64.or (i64.shr_u (local.get $lo) (local.get $kk)) (i64.shl (local.get $hi) (i64.sub (i64.const 64) (local.get $kk)))))
                (local.set $qhi (i64.shr_s (local.get $hi) (local.get $kk)))
                (if (i64.ne (i64.and (local.get $plo) (local.get $mask)) (i64.const 0)) (then
                  (local.set $inexact (i64.add (local.get $inexact) (i64.const 1)))
                  (if (i64.eqz (i64.or (local.get $qhi) (local.get $qlo))) (then (local.set $toZero (i64.add (local.get $toZero) (i64.const 1)))))))
                (local.set $s (i64.add (local.get $w) (local.get $qlo)))
                (local.set $c (i64.extend_i32_u (i64.lt_u (local.get $s) (local.get $w))))
                (local.set $s (call $ovf (i64.add (i64.add (i64.shr_s (local.get $w) (i64.const 63)) (local.get $qhi)) (local.get $c))
                  (local.get $s) (local.get $wfmt) (local.get $ctr)))))
            (i64.store (local.get $at) (local.get $s))
            (f64.store (i32.add (local.get $at) (local.get $wfd)) (f64.convert_i64_s (local.get $s)))
            (local.set $c (i64.shr_s (local.get $s) (i64.const 63)))
            (local.set $wor (i64.or (local.get $wor) (i64.sub (i64.xor (local.get $s) (local.get $c)) (local.get $c))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $col)))
          (local.set $skip (i32.add (local.get $skip) (local.get $tail)))))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $row)))
    (if (local.get $skip) (then (call $rngSkip (local.get $skip))))
    (i64.store offset=144 (i32.const 0) (local.get $wor))
    (i64.store offset=8 (local.get $ctr) (i64.add (i64.load offset=8 (local.get $ctr)) (local.get $inexact)))
    (i64.store offset=16 (local.get $ctr) (i64.add (i64.load offset=16 (local.get $ctr)) (local.get $toZero))))

  ;; w[o, i] = ovf_w(w[o, i] + q(ovf_p(delta[o] * x[i]), shift)) over the non-zero inputs, rows in order.
  ;; shift < 0 is an exact left shift (-63..-1; the host proves the 128-bit value cannot overflow).
  (func $update (param $n i32)
    (local $pendBase i32) (local $pendD i64) (local $wfd i32) (local $free i32) (local $free64 i32) (local $wide i32) (local $wrap64P i32) (local $rowBytes i32) (local $o i32) (local $j i32) (local $rows i32) (local $cols i32) (local $d i64) (local $x i64) (local $at i32)
    (local $p i64) (local $phi i64) (local $plo i64) (local $uhi i64) (local $ulo i64) (local $w i64) (local $s i64) (local $c i64)
    (local $hasP i32) (local $pfmt i32) (local $plo64 i64) (local $phi64 i64) (local $wfmt i32) (local $wlo i64) (local $whi i64)
    (local $shift i32) (local $sh i64) (local $mode i32) (local $ctr i32) (local $mask i64) (local $rem i64) (local $half i64)
    (local $inexact i64) (local $toZero i64) (local $wor i64) (local $narrow i32) (local $xBits i32) (local $xi i32) (local $xv i32) (local $base i32)
    (local.set $pendBase (i32.const -1))
    (local.set $wfd (i32.load offset=176 (i32.const 0)))
    (local.set $rows (i32.load offset=4 (i32.const 0)))
    (local.set $cols (i32.load offset=8 (i32.const 0)))
    (local.set $rowBytes (i32.shl (local.get $rows) (i32.const 3)))
    (local.set $hasP (i32.load offset=84 (i32.const 0)))
    (local.set $pfmt (i32.load offset=88 (i32.const 0)))
    (local.set $plo64 (i64.load (local.get $pfmt)))
    (local.set $phi64 (i64.load offset=8 (local.get $pfmt)))
    (local.set $shift (i32.load offset=92 (i32.const 0)))
    (local.set $sh (i64.extend_i32_u (local.get $shift)))
    (local.set $mode (i32.load offset=96 (i32.const 0)))
    (local.set $wfmt (i32.load offset=100 (i32.const 0)))
    (local.set $wlo (i64.load (local.get $wfmt)))
    (local.set $whi (i64.load offset=8 (local.get $wfmt)))
    (local.set $ctr (i32.load offset=104 (i32.const 0)))
    (local.set $xBits (i32.load offset=108 (i32.const 0)))
    (local.set $xi (i32.load offset=24 (i32.const 0)))
    (local.set $xv (i32.load offset=28 (i32.const 0)))
    (local.set $mask (i64.sub (i64.shl (i64.const 1) (local.get $sh)) (i64.const 1)))
    (local.set $half (i64.shl (i64.const 1) (i64.sub (local.get $sh) (i64.const 1))))
    (local.set $wor (i64.load offset=144 (i32.const 0)))
    ;; the free row loop: a product register (if any) and a weight register of 64 signed bits, |w| <= 2^61
    (local.set $free64 (i32.and
      (i32.and (i32.eq (i32.load offset=16 (local.get $wfmt)) (i32.const 64)) (i32.load offset=20 (local.get $wfmt)))
      (i32.and (i32.le_s (i32.wrap_i64 (i64.sub (i64.const 64) (i64.clz (local.get $wor)))) (i32.const 61))
        (i32.or (i32.eqz (local.get $hasP))
          (i32.and (i32.eq (i32.load offset=16 (local.get $pfmt)) (i32.const 64)) (i32.load offset=20 (local.get $pfmt)))))))
    (local.set $wrap64P (i32.and (i32.and (local.get $hasP) (i32.le_s (local.get $xBits) (i32.const 31)))
      (i32.and (i32.eq (i32.load offset=16 (local.get $pfmt)) (i32.const 64)) (i32.eqz (i32.load offset=24 (local.get $pfmt))))))
    (block $rowsDone (loop $row
      (br_if $rowsDone (i32.ge_u (local.get $o) (local.get $rows)))
      (local.set $d (i64.load (i32.add (i32.load offset=44 (i32.const 0)) (i32.shl (local.get $o) (i32.const 3)))))
      (if (i64.ne (local.get $d) (i64.const 0)) (then
        (local.set $base (i32.add (i32.load (i32.const 0)) (i32.shl (local.get $o) (i32.const 3))))
        ;; narrow: every product d * x fits i64 (|d| < 2^dBits, |x| < 2^xBits)
        ;; (a negative shift, an exact left shift, always takes the wide path)
        (local.set $narrow (i32.and (i32.ge_s (local.get $shift) (i32.const 0))
          (i32.le_s (i32.add (i32.wrap_i64 (call $absBits (local.get $d))) (local.get $xBits)) (i32.const 63))))
        ;; wide rows of the study's datapath (a 64-bit WRAP product register, |x| < 2^31) stay inline too
        (local.set $wide (i32.and (i32.eqz (local.get $narrow)) (local.get $wrap64P)))
        ;; no range check at all: |u| < 2^(dBits + xBits - shift + 1) and |w| <= 2^wBits both under 2^61
        (local.set $free (i32.and (i32.and (local.get $narrow) (local.get $free64))
          (i32.le_s (i32.add (i32.sub (i32.add (i32.wrap_i64 (call $absBits (local.get $d))) (local.get $xBits)) (local.get $shift)) (i32.const 1)) (i32.const 61))))
        (if (i32.and (local.get $free) (i32.and (i32.eqz (local.get $mode)) (i32.gt_s (local.get $shift) (i32.const 0))))
          (then
            ;; pair free rows: the first waits for a second
            (if (i32.lt_s (local.get $pendBase) (i32.const 0))
              (then (local.set $pendBase (local.get $base)) (local.set $pendD (local.get $d)))
              (else
                (call $updateRowsTrnFree2 (local.get $pendBase) (local.get $base) (local.get $pendD) (local.get $d) (local.get $n) (local.get $inexact) (local.get $toZero) (local.get $wor))
                (local.set $wor) (local.set $toZero) (local.set $inexact)
                (local.set $pendBase (i32.const -1))))
            (local.set $narrow (i32.const 0)) (local.set $wide (i32.const 0))
            (local.set $j (local.get $n)))
          (else (local.set $j (i32.const 0))))
        (if (i32.and (i32.or (local.get $narrow) (local.get $wide)) (i32.and (i32.eqz (local.get $mode)) (i32.gt_s (local.get $shift) (i32.const 0))))
          (then
            (call $updateRowTrn (local.get $base) (local.get $rowBytes) (local.get $d) (local.get $n) (local.get $wide) (local.get $inexact) (local.get $toZero) (local.get $wor))
            (local.set $wor) (local.set $toZero) (local.set $inexact)
            ;; (the general loop below then has nothing to do)
            (local.set $j (local.get $n)))
          (else (if (i32.eqz (local.get $free)) (then (local.set $j (i32.const 0))))))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
          (local.set $at (i32.add (local.get $base) (i32.load (i32.add (local.get $xi) (i32.shl (local.get $j) (i32.const 2))))))
          (local.set $x (i64.load (i32.add (local.get $xv) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $w (i64.load (local.get $at)))
          (if (local.get $narrow)
            (then
              (local.set $p (i64.mul (local.get $d) (local.get $x)))
              (if (local.get $hasP) (then
                (if (i32.or (i64.lt_s (local.get $p) (local.get $plo64)) (i64.gt_s (local.get $p) (local.get $phi64)))
                  (then (local.set $p (call $ovf (i64.shr_s (local.get $p) (i64.const 63)) (local.get $p) (local.get $pfmt) (local.get $ctr)))))))
              ;; u = q(p, shift): floor, then the mode's increment (p fits i64, so u and u + 1 do)
              (local.set $ulo (local.get $p))
              (if (local.get $shift) (then
                (local.set $ulo (i64.shr_s (local.get $p) (local.get $sh)))
                (local.set $rem (i64.and (local.get $p) (local.get $mask)))
                (if (i64.ne (local.get $rem) (i64.const 0)) (then
                  (local.set $inexact (i64.add (local.get $inexact) (i64.const 1)))
                  (if (local.get $mode) (then
                    (if (call $roundUp (i32.wrap_i64 (i64.and (local.get $ulo) (i64.const 1))) (local.get $rem) (local.get $half)
                          (i64.lt_s (local.get $p) (i64.const 0)) (local.get $mode))
                      (then (local.set $ulo (i64.add (local.get $ulo) (i64.const 1)))))))
                  (if (i64.eqz (local.get $ulo)) (then (local.set $toZero (i64.add (local.get $toZero) (i64.const 1)))))))))
              (local.set $s (i64.add (local.get $w) (local.get $ulo)))
              (if (i64.lt_s (i64.and (i64.xor (local.get $w) (local.get $s)) (i64.xor (local.get $ulo) (local.get $s))) (i64.const 0))
                (then (local.set $s (call $ovf (i64.shr_s (local.get $w) (i64.const 63)) (local.get $s) (local.get $wfmt) (local.get $ctr))))
                (else (if (i32.or (i64.lt_s (local.get $s) (local.get $wlo)) (i64.gt_s (local.get $s) (local.get $whi)))
                  (then (local.set $s (call $ovf (i64.shr_s (local.get $s) (i64.const 63)) (local.get $s) (local.get $wfmt) (local.get $ctr))))))))
            (else
              ;; wide: 128-bit product, product register, quantize, 128-bit sum
              (call $muls (local.get $d) (local.get $x))
              (local.set $plo) (local.set $phi)
              (if (local.get $hasP) (then
                (local.set $plo (call $ovf (local.get $phi) (local.get $plo) (local.get $pfmt) (local.get $ctr)))
                (local.set $phi (i64.shr_s (local.get $plo) (i64.const 63)))))
              (if (result i64 i64) (i32.lt_s (local.get $shift) (i32.const 0))
                (then (call $shl128 (local.get $phi) (local.get $plo) (i32.sub (i32.const 0) (local.get $shift))))
                (else (call $quant (local.get $phi) (local.get $plo) (local.get $shift) (local.get $mode) (local.get $ctr))))
              (local.set $ulo) (local.set $uhi)
              (local.set $s (i64.add (local.get $w) (local.get $ulo)))
              (local.set $c (i64.extend_i32_u (i64.lt_u (local.get $s) (local.get $w))))
              (local.set $s (call $ovf (i64.add (i64.add (i64.shr_s (local.get $w) (i64.const 63)) (local.get $uhi)) (local.get $c))
                (local.get $s) (local.get $wfmt) (local.get $ctr)))))
          (i64.store (local.get $at) (local.get $s))
      (f64.store (i32.add (local.get $at) (local.get $wfd)) (f64.convert_i64_s (local.get $s)))
          ;; a bound on |w| for the MAC's tier choice: OR of the magnitudes written
          (local.set $c (i64.shr_s (local.get $s) (i64.const 63)))
          (local.set $wor (i64.or (local.get $wor) (i64.sub (i64.xor (local.get $s) (local.get $c)) (local.get $c))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $next)))))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $row)))
    (if (i32.ge_s (local.get $pendBase) (i32.const 0)) (then
      (call $updateRowTrnFree (local.get $pendBase) (local.get $rowBytes) (local.get $pendD) (local.get $n) (local.get $inexact) (local.get $toZero) (local.get $wor))
      (local.set $wor) (local.set $toZero) (local.set $inexact)))
    (i64.store offset=144 (i32.const 0) (local.get $wor))
    (i64.store offset=8 (local.get $ctr) (i64.add (i64.load offset=8 (local.get $ctr)) (local.get $inexact)))
    (i64.store offset=16 (local.get $ctr) (i64.add (i64.load offset=16 (local.get $ctr)) (local.get $toZero))))

  ;; One online SGD step on sample [start, end) with its label; returns argmax == label.
  (func $step (export "step") (param $start i32) (param $end i32) (param $label i32) (result i32)
    (local $n i32) (local $best i32)
    (local.set $n (call $forward (local.get $start) (local.get $end)))
    (local.set $best (call $argmax))
    (call $deltas (local.get $label))
    (if (i32.eq (i32.load offset=96 (i32.const 0)) (i32.const 10))
      (then (call $updateStoch (local.get $n)))
      (else (call $update (local.get $n))))
    (i32.eq (local.get $best) (local.get $label)))

  ;; Steps k0 .. k0 + count - 1 of a run: step k trains on sample k mod N_SAMPLES of the laid-out
  ;; order (OFFSETS, LABELS), writes its hit to HITS[k - k0] and adds its delta statistics to the
  ;; running sums at STATS + 32/40/48 in step order (the same float additions the host would do).
  ;; The |w| bound is tightened every 1024 steps.
  (func (export "run") (param $k0 i32) (param $count i32)
    (local $t i32) (local $k i32) (local $s i32) (local $off i32) (local $stats i32)
    (local.set $stats (i32.load offset=140 (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $t) (local.get $count)))
      (local.set $k (i32.add (local.get $k0) (local.get $t)))
      (local.set $s (i32.rem_u (local.get $k) (i32.load offset=196 (i32.const 0))))
      (local.set $off (i32.add (i32.load offset=184 (i32.const 0)) (i32.shl (local.get $s) (i32.const 2))))
      (i32.store8 (i32.add (i32.load offset=192 (i32.const 0)) (local.get $t))
        (call $step (i32.load (local.get $off)) (i32.load offset=4 (local.get $off))
          (i32.load (i32.add (i32.load offset=188 (i32.const 0)) (i32.shl (local.get $s) (i32.const 2))))))
      (f64.store offset=32 (local.get $stats) (f64.add (f64.load offset=32 (local.get $stats)) (f64.load offset=8 (local.get $stats))))
      (f64.store offset=40 (local.get $stats) (f64.add (f64.load offset=40 (local.get $stats)) (f64.load offset=16 (local.get $stats))))
      (f64.store offset=48 (local.get $stats) (f64.add (f64.load offset=48 (local.get $stats)) (f64.load offset=24 (local.get $stats))))
      (if (i32.eqz (i32.and (i32.add (local.get $k) (i32.const 1)) (i32.const 1023))) (then (call $rescan)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $next)))
    )

  ;; Recompute the |w| bound from the weights (it only grows between rescans), and the f64 mirror.
  (func $rescan (export "rescan")
    (local $i i32) (local $end i32) (local $w i64) (local $s i64) (local $wor i64)
    (local.set $i (i32.load (i32.const 0)))
    (local.set $end (i32.add (local.get $i) (i32.shl (i32.mul (i32.load offset=4 (i32.const 0)) (i32.load offset=8 (i32.const 0))) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $w (i64.load (local.get $i)))
      (f64.store (i32.add (local.get $i) (i32.load offset=176 (i32.const 0))) (f64.convert_i64_s (local.get $w)))
      (local.set $s (i64.shr_s (local.get $w) (i64.const 63)))
      (local.set $wor (i64.or (local.get $wor) (i64.sub (i64.xor (local.get $w) (local.get $s)) (local.get $s))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $next)))
    (i64.store offset=144 (i32.const 0) (local.get $wor)))
)
