// One fxsim layer slice: MAC -> shift (rounding + SAT) -> ReLU, for N_OUT outputs over N_IN
// inputs (fxsim: layer L0 with units mac, shift1, relu; configs/rtl/slice-*.yaml).
//   acc[o]   = WRAP_ACC_W( sum_i w[o][i] * x[i] )          N_OUT MACs in parallel, one term per clock
//   shift[o] = SAT_OUT_W( round_MODE(acc[o] >> SHIFT) )     one element per clock, o = 0..N_OUT-1
//   act[o]   = max(shift[o], 0)
// STOCH (MODE 2) draws SHIFT bits per element from the LFSR in index order, continuing the stream
// across calls (samples): the same order as fxsim (units in datapath order, elements in index order).
module slice_top #(
    parameter N_IN      = 16,
    parameter N_OUT     = 4,
    parameter X_W       = 8,
    parameter W_W       = 8,
    parameter ACC_W     = 24,
    parameter SHIFT     = 8,
    parameter OUT_W     = 8,
    parameter MODE      = 0,              // 0 TRN, 1 RND_CONV, 2 STOCH
    parameter LFSR_W    = 16,
    parameter [LFSR_W-1:0] LFSR_TAPS = 16'hD008,   // [16,15,13,4]
    parameter [LFSR_W-1:0] LFSR_SEED = 16'hACE1
) (
    input                        clk,
    input                        rst,
    input                        start,
    input  [N_IN*X_W-1:0]        x_vec,      // x[i] at [i*X_W +: X_W]
    input  [N_OUT*N_IN*W_W-1:0]  w_mat,      // w[o][i] (row-major) at [(o*N_IN+i)*W_W +: W_W]
    input                        rng_load,   // load the LFSR state (e.g. from a golden rng.before)
    input  [LFSR_W-1:0]          rng_value,
    output [N_OUT*ACC_W-1:0]     acc_vec,
    output reg [N_OUT*OUT_W-1:0] shift_vec,
    output [N_OUT*OUT_W-1:0]     act_vec,
    output [LFSR_W-1:0]          rng_state,
    output reg                   done
);
    localparam E_W = (N_OUT > 1) ? $clog2(N_OUT) + 1 : 1;

    // ---- MAC array ----
    wire [N_OUT-1:0] mac_done;
    genvar o;
    generate
        for (o = 0; o < N_OUT; o = o + 1) begin : g_mac
            mac #(.N(N_IN), .X_W(X_W), .W_W(W_W), .ACC_W(ACC_W)) u_mac (
                .clk(clk), .rst(rst), .start(start),
                .x_vec(x_vec), .w_vec(w_mat[o*N_IN*W_W +: N_IN*W_W]),
                .init({ACC_W{1'b0}}),
                .acc(acc_vec[o*ACC_W +: ACC_W]), .busy(), .done(mac_done[o]));
        end
    endgenerate

    // ---- shift: one element per clock, in index order ----
    reg              shifting;
    reg  [E_W-1:0]   e;
    wire [SHIFT-1:0] u;
    wire [OUT_W-1:0] y;

    rshift_round #(.IN_W(ACC_W), .K(SHIFT), .OUT_W(OUT_W), .MODE(MODE)) u_shift (
        .x(acc_vec[e*ACC_W +: ACC_W]), .u(u), .y(y), .sat());

    lfsr #(.WIDTH(LFSR_W), .TAPS(LFSR_TAPS), .SEED(LFSR_SEED), .K(SHIFT)) u_lfsr (
        .clk(clk), .rst(rst), .load(rng_load), .load_value(rng_value),
        .draw(shifting && MODE == 2), .u(u), .state(rng_state));

    always @(posedge clk) begin
        done <= 1'b0;
        if (rst) begin
            shifting  <= 1'b0;
            e         <= 0;
            shift_vec <= 0;
        end else if (mac_done[0]) begin     // all MACs run in lockstep
            shifting <= 1'b1;
            e        <= 0;
        end else if (shifting) begin
            shift_vec[e*OUT_W +: OUT_W] <= y;
            if (e == N_OUT - 1) begin
                shifting <= 1'b0;
                done     <= 1'b1;
            end else begin
                e <= e + 1'b1;
            end
        end
    end

    // ---- activation ----
    generate
        for (o = 0; o < N_OUT; o = o + 1) begin : g_relu
            relu #(.W(OUT_W)) u_relu (.x(shift_vec[o*OUT_W +: OUT_W]), .y(act_vec[o*OUT_W +: OUT_W]));
        end
    endgenerate
endmodule
