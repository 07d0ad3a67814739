// Fibonacci LFSR with XOR feedback, exactly as fxsim defines it (src/core/random.ts, README
// "Random bits for STOCH"):
//   stage 1 = state[0] (LSB), stage WIDTH = state[WIDTH-1] (MSB);
//   one clock: out = state[WIDTH-1]; fb = XOR of the tapped stages;
//              state = ((state << 1) | fb) mod 2^WIDTH.
// A draw of K bits takes the next K output bits; the first bit becomes the MSB of u.
// K clocks are unrolled combinationally, so one `draw` cycle consumes K bits of the stream.
//
// TAPS is a mask: bit t-1 set for tap (stage) t. fxsim's default taps (Xilinx XAPP052):
//   16: [16,15,13,4] -> 16'hD008;  32: [32,22,2,1] -> 32'h80200003;  8: [8,6,5,4] -> 8'hB8.
// SEED must be non-zero (all-zero is the lock-up state); fxsim takes seed mod 2^WIDTH.
module lfsr #(
    parameter WIDTH = 16,
    parameter [WIDTH-1:0] TAPS = 16'hD008,
    parameter [WIDTH-1:0] SEED = 16'hACE1,
    parameter K = 8                      // bits per draw, >= 1
) (
    input                  clk,
    input                  rst,          // synchronous: state <= SEED
    input                  load,         // synchronous: state <= load_value (e.g. a golden rng.before)
    input      [WIDTH-1:0] load_value,
    input                  draw,         // consume K bits: state advances by K clocks
    output     [K-1:0]     u,            // the K bits this draw takes (valid before the edge)
    output reg [WIDTH-1:0] state
);
    // K LFSR clocks from s: returns {state after K clocks, u}
    function [WIDTH+K-1:0] clock_k;
        input [WIDTH-1:0] s;
        reg   [WIDTH-1:0] t;
        reg   [K-1:0]     b;
        integer i;
        begin
            t = s;
            for (i = 0; i < K; i = i + 1) begin
                b[K-1-i] = t[WIDTH-1];                  // output = stage WIDTH, first bit -> MSB of u
                t = {t[WIDTH-2:0], ^(t & TAPS)};        // shift left, feedback into stage 1
            end
            clock_k = {t, b};
        end
    endfunction

    wire [WIDTH+K-1:0] nxt = clock_k(state);
    assign u = nxt[K-1:0];

    always @(posedge clk) begin
        if (rst)       state <= SEED;
        else if (load) state <= load_value;
        else if (draw) state <= nxt[WIDTH+K-1:K];
    end
endmodule
