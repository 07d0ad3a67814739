// Unit testbench for lfsr: writes +n=COUNT draws of K bits (one K-bit word per line) to +out=FILE,
// starting from SEED, then the final state on the last line.
module tb_lfsr;
    parameter WIDTH = 16;
    parameter [WIDTH-1:0] TAPS = 16'hD008;
    parameter [WIDTH-1:0] SEED = 16'hACE1;
    parameter K = 8;

    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg rst = 1'b1;
    reg draw = 1'b0;
    wire [K-1:0]     u;
    wire [WIDTH-1:0] state;
    reg  [8*1024-1:0] of;
    integer n, i, fd;

    lfsr #(.WIDTH(WIDTH), .TAPS(TAPS), .SEED(SEED), .K(K)) dut (
        .clk(clk), .rst(rst), .load(1'b0), .load_value({WIDTH{1'b0}}), .draw(draw), .u(u), .state(state));

    initial begin
        if (!$value$plusargs("out=%s", of) || !$value$plusargs("n=%d", n)) begin
            $display("tb_lfsr: ERROR: need +out=FILE +n=COUNT");
            $fatal(1);
        end
        fd = $fopen(of, "w");
        @(posedge clk);
        rst <= 1'b0;
        draw <= 1'b1;
        for (i = 0; i < n; i = i + 1) begin
            @(negedge clk);
            $fwrite(fd, "%h\n", u);
            @(posedge clk);
        end
        draw <= 1'b0;
        @(negedge clk);
        $fwrite(fd, "%h\n", state);
        $fclose(fd);
        $finish;
    end
endmodule
