# SPDX-License-Identifier: GPL-2.0
#
# The score template set's carriers (the 20th set; the first nineteen were
# folded into tune): precision and recall are reported on these, never tuned on.
# Loaded by gen-corpus.pl with do(): the helpers, %F (planted fields),
# @fields and @exp are its own.  Returns name => sub { payload }.
use strict;
use warnings;
our (%F, @fields, @exp);

(
	json_update_patch => sub {
		my @f = some_fields(1 + int(rand(3)));
		return '[' . join(',', map { '{"op":"replace","path":"/applicant/' . $_->[0] . '","value":' . jstr($_->[1]) . '}' } @f) . ']';
	},
	csv_two_rows_crlf => sub {
		my @cols = map { pick(@fields) } 1 .. 2 + int(rand(2));
		my (@rows, @hdr);
		for my $r (1 .. 2) {
			my @cells;
			for my $c (@cols) {
				my ($name, $val) = $F{$c}->();
				$hdr[@cells] //= $name;
				push @cells, $val;
			}
			push @rows, join(',', 'row' . $r, @cells);
		}
		return join(',', 'record', @hdr) . "\r\n" . join("\r\n", @rows) . "\r\n";
	},
	chat_json => sub {
		my @f = some_fields(1);
		# every field goes in the text: some_fields() expects all of them
		return '{"messages":[{"role":"user","content":"please update ' . join(', and ', map { "my $_->[0] to $_->[1]" } @f) . '"}]}';
	},
	html_dl_inline => sub {
		my @f = some_fields(1 + int(rand(2)));
		return '<div class="card">' . join('', map { "<span class=\"k\">$_->[0]</span> <span class=\"v\">$_->[1]</span><br>" } @f) . '</div>';
	},
	log_equals_quotes => sub {
		my @f = some_fields(1 + int(rand(2)));
		return 'Nov 27 10:00:01 api[42]: audit ' . join(' ', map { my $k = $_->[0]; $k =~ s/[^A-Za-z0-9_]+/_/g; $k =~ s/^_|_$//g; "$k='$_->[1]'" } @f) . "\n";
	},
);
