// Arithmetic right shift by K >= 1 bits with a rounding mode, then saturation into OUT_W bits:
// fxsim's `shift` unit with overflow SAT (src/core/quantize.ts, src/core/overflow.ts).
// With q = floor(x / 2^K), rem = x - q*2^K, half = 2^(K-1):
//   MODE 0 TRN      : q
//   MODE 1 RND_CONV : q + (rem > half || (rem == half && q is odd))   -- ties to even, decided
//                     on the exact K discarded bits (one step, no double rounding)
//   MODE 2 STOCH    : floor((x + u) / 2^K), u = K random bits (see lfsr.v)
// then SAT: results outside [-2^(OUT_W-1), 2^(OUT_W-1)-1] clamp to the nearest bound.
// Combinational.
module rshift_round #(
    parameter IN_W  = 24,
    parameter K     = 8,
    parameter OUT_W = 8,
    parameter MODE  = 0
) (
    input  signed [IN_W-1:0]  x,
    input         [K-1:0]     u,      // random bits, used by MODE 2 only
    output signed [OUT_W-1:0] y,
    output                    sat     // 1 when the rounded value was clamped
);
    // K in 1..IN_W. Internal width IN_W+2: x + u (u < 2^K <= 2^IN_W) cannot overflow it.
    localparam         X_W  = IN_W + 2;
    localparam         Q_W  = X_W - K;            // floor((x [+ u]) / 2^K)
    localparam         T_W  = Q_W + 1;            // q + increment
    localparam [K-1:0] HALF = 1 << (K - 1);

    wire [X_W-1:0] xe = {{2{x[IN_W-1]}}, x};
    wire [X_W-1:0] xs = (MODE == 2) ? xe + {{(X_W-K){1'b0}}, u} : xe;

    wire [Q_W-1:0] q   = xs[X_W-1:K];             // the arithmetic shift: floor division by 2^K
    wire [K-1:0]   rem = xs[K-1:0];               // the exact discarded bits

    wire inc = (MODE == 1) ? ((rem > HALF) || (rem == HALF && q[0])) : 1'b0;

    wire signed [T_W-1:0] t = {q[Q_W-1], q} + {{(T_W-1){1'b0}}, inc};

    generate
        if (T_W <= OUT_W) begin : g_fits
            assign y   = t;                       // signed to wider signed: sign-extends
            assign sat = 1'b0;
        end else begin : g_sat
            // in range iff the bits above the output's sign bit all equal the sign
            wire ovf = (t[T_W-1:OUT_W-1] != {(T_W-OUT_W+1){t[T_W-1]}});
            assign sat = ovf;
            assign y   = !ovf        ? t[OUT_W-1:0]
                       : t[T_W-1]    ? {1'b1, {(OUT_W-1){1'b0}}}    // -2^(OUT_W-1)
                       :               {1'b0, {(OUT_W-1){1'b1}}};   //  2^(OUT_W-1)-1
        end
    endgenerate
endmodule
