{#- The ips_scheme code list (seeds/ips_schemes.csv) with its labels:
    reports and the tests' code checks read it. -#}
{{ code_list_dim('ips_schemes', 'ips_scheme') }}
