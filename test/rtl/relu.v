// ReLU in one format (input and output W bits, same frac): y = max(x, 0). Exact.
module relu #(
    parameter W = 8
) (
    input  signed [W-1:0] x,
    output signed [W-1:0] y
);
    assign y = x[W-1] ? {W{1'b0}} : x;
endmodule
