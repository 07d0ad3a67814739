// Sequential multiply-accumulate over N inputs: one term per clock, in index order 0..N-1.
//   acc <- init; for i in 0..N-1: acc <- (acc + w[i]*x[i]) mod 2^ACC_W
// The accumulator WRAPs (plain modular add of the sign-extended product), which is fxsim's
// `overflow: WRAP` for a MAC register: wrap after every addition equals wrap once at the end.
// x and w are signed two's complement (X_W and W_W bits); acc is signed ACC_W bits at
// frac_x + frac_w (no product register, no narrowing: the product is exact).
module mac #(
    parameter N     = 16,
    parameter X_W   = 8,
    parameter W_W   = 8,
    parameter ACC_W = 24
) (
    input                         clk,
    input                         rst,
    input                         start,   // pulse: acc <= init, then N terms
    input      [N*X_W-1:0]        x_vec,   // element i at [i*X_W +: X_W]
    input      [N*W_W-1:0]        w_vec,   // element i at [i*W_W +: W_W]
    input      signed [ACC_W-1:0] init,    // 0, or a bias preload at the accumulator's frac
    output reg signed [ACC_W-1:0] acc,
    output reg                    busy,
    output reg                    done     // one-cycle pulse when acc holds the result
);
    localparam P_W = X_W + W_W;                  // exact product width
    localparam E_W = (ACC_W > P_W) ? ACC_W : P_W;
    localparam I_W = (N > 1) ? $clog2(N) + 1 : 1;

    reg  [I_W-1:0]         i;
    wire signed [X_W-1:0]  xi = x_vec[i*X_W +: X_W];
    wire signed [W_W-1:0]  wi = w_vec[i*W_W +: W_W];
    wire signed [P_W-1:0]  p  = xi * wi;         // both operands signed: exact signed product
    wire signed [E_W-1:0]  pe = p;               // sign-extend (no-op when ACC_W <= P_W)

    always @(posedge clk) begin
        done <= 1'b0;
        if (rst) begin
            busy <= 1'b0;
            i    <= 0;
            acc  <= 0;
        end else if (start) begin
            busy <= 1'b1;
            i    <= 0;
            acc  <= init;
        end else if (busy) begin
            acc <= acc + pe[ACC_W-1:0];          // modular: WRAP
            if (i == N - 1) begin
                busy <= 1'b0;
                done <= 1'b1;
            end else begin
                i <= i + 1'b1;
            end
        end
    end
endmodule
