lib/x509/ctk_asn1_tab.o: lib/x509/ctk_asn1_tab.c
