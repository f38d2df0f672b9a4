{#- The financing_detail code list (seeds/financing_details.csv) with its labels:
    reports and the tests' code checks read it. -#}
{{ code_list_dim('financing_details', 'financing_detail') }}
