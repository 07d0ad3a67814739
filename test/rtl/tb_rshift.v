// Unit testbench for rshift_round: y = SAT(round_MODE(x >> K)) for a list of (x, u) pairs.
// Plusargs: +x=FILE (IN_W-bit words) +u=FILE (K-bit words, STOCH) +out=FILE +n=COUNT.
// Writes one OUT_W-bit word per line ($readmemh format, no header).
module tb_rshift;
    parameter IN_W  = 24;
    parameter K     = 8;
    parameter OUT_W = 8;
    parameter MODE  = 0;
    parameter MAXN  = 16384;

    reg  [IN_W-1:0]  xmem [0:MAXN-1];
    reg  [K-1:0]     umem [0:MAXN-1];
    reg  [IN_W-1:0]  x;
    reg  [K-1:0]     u;
    wire [OUT_W-1:0] y;
    wire             sat;
    reg  [8*1024-1:0] xf, uf, of;
    integer n, i, fd;

    rshift_round #(.IN_W(IN_W), .K(K), .OUT_W(OUT_W), .MODE(MODE)) dut (.x(x), .u(u), .y(y), .sat(sat));

    initial begin
        if (!$value$plusargs("x=%s", xf) || !$value$plusargs("u=%s", uf) ||
            !$value$plusargs("out=%s", of) || !$value$plusargs("n=%d", n)) begin
            $display("tb_rshift: ERROR: need +x=FILE +u=FILE +out=FILE +n=COUNT");
            $fatal(1);
        end
        if (n > MAXN) begin
            $display("tb_rshift: ERROR: n=%0d > MAXN=%0d", n, MAXN);
            $fatal(1);
        end
        $readmemh(xf, xmem, 0, n - 1);
        $readmemh(uf, umem, 0, n - 1);
        fd = $fopen(of, "w");
        for (i = 0; i < n; i = i + 1) begin
            x = xmem[i];
            u = umem[i];
            #1;
            if (^y === 1'bx) begin
                $display("tb_rshift: ERROR: x or u unreadable at %0d", i);
                $fatal(1);
            end
            $fwrite(fd, "%h\n", y);
        end
        $fclose(fd);
        $finish;
    end
endmodule
