"""Writes realistic inputs for the ingest benchmark: a Zeek conn.log in TSV (~200 bytes a
line) and osquery result lines in event format (~1 KB each), deterministic for a seed.

    python generate.py zeek OUT ROWS
    python generate.py osquery OUT ROWS
"""
import random
import sys

HEADER = """#separator \\x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2024-05-01-00-00-00
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id	orig_l2_addr	resp_l2_addr
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string	string	string
"""

UID = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def mac(rng):
    return ":".join("%02x" % rng.randrange(256) for _ in range(6))


def zeek(out, rows, rng):
    out.write(HEADER)
    ts = 1714521600.0
    services = ["dns", "http", "ssl", "-", "ssh", "-"]
    states = ["SF", "S0", "REJ", "RSTO", "SH", "OTH"]
    for _ in range(rows):
        ts += rng.random() * 0.01
        uid = "C" + "".join(rng.choice(UID) for _ in range(17))
        service = rng.choice(services)
        duration = "-" if rng.random() < 0.1 else "%.6f" % (rng.random() * 30)
        out.write(
            "%.6f\t%s\t10.%d.%d.%d\t%d\t%d.%d.%d.%d\t%d\ttcp\t%s\t%s\t%d\t%d\t%s\tT\tF\t0\tShADadFf\t%d\t%d\t%d\t%d\t(empty)\t1:%s=\t%s\t%s\n"
            % (ts, uid, rng.randrange(256), rng.randrange(256), rng.randrange(256), rng.randrange(1024, 65536),
               rng.randrange(1, 224), rng.randrange(256), rng.randrange(256), rng.randrange(256),
               rng.choice([53, 80, 443, 22, 8080]), service, duration, rng.randrange(100000), rng.randrange(1000000),
               rng.choice(states), rng.randrange(100), rng.randrange(100000), rng.randrange(100), rng.randrange(1000000),
               "".join(rng.choice(UID) for _ in range(27)), mac(rng), mac(rng)))
    out.write("#close\t2024-05-01-01-00-00\n")


def osquery(out, rows, rng):
    names = ["processes", "listening_ports", "logged_in_users", "file_events"]
    unix = 1714521600
    for i in range(rows):
        unix += rng.randrange(2)
        name = names[i % len(names)]
        pid = rng.randrange(1, 65536)
        columns = (
            '"pid":"%d","name":"proc-%d","path":"/usr/lib/systemd/systemd-%s","cmdline":"/usr/lib/systemd/systemd-%s --system --deserialize %d --log-level=info --unit=default.target",'
            '"state":"S","cwd":"/","root":"/","uid":"0","gid":"0","euid":"0","egid":"0","suid":"0","sgid":"0","on_disk":"1",'
            '"wired_size":"0","resident_size":"%d","total_size":"%d","user_time":"%d","system_time":"%d","disk_bytes_read":"%d",'
            '"disk_bytes_written":"%d","start_time":"%d","parent":"%d","pgroup":"%d","threads":"%d","nice":"0",'
            '"cgroup_path":"/system.slice/systemd-%s.service","sha256":"%064x"'
            % (pid, pid % 97, name, name, rng.randrange(100), rng.randrange(1 << 30), rng.randrange(1 << 32),
               rng.randrange(100000), rng.randrange(100000), rng.randrange(1 << 30), rng.randrange(1 << 30),
               unix - rng.randrange(86400), rng.randrange(1, 65536), pid, rng.randrange(1, 64), name, rng.getrandbits(256)))
        out.write(
            '{"name":"%s","hostIdentifier":"host-%03d.corp.example.com","calendarTime":"Wed May  1 00:00:00 2024 UTC",'
            '"unixTime":%d,"epoch":0,"counter":%d,"numerics":false,'
            '"decorations":{"host_uuid":"4C4C4544-0042-%04d-8053-B7C04F4E3332","username":"svc-%d"},'
            '"columns":{%s},"action":"%s"}\n'
            % (name, i % 500, unix, i // 4, i % 500, i % 13, columns, "added" if rng.random() < 0.7 else "removed"))


def main():
    kind, path, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(42)
    with open(path, "w") as out:
        {"zeek": zeek, "osquery": osquery}[kind](out, rows, rng)


if __name__ == "__main__":
    main()
